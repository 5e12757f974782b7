#!/usr/bin/env bash
# Seconds per training epoch of untangle's neural models at ML-1M shape, against PyTorch's Mult-VAE epoch measured in
# the same shell session (the yardstick of issue 4: MacridVAE with K = 7 should take at most 2x PyTorch's Mult-VAE).
# Needs a built checkout and Debian's python3-torch with OpenBLAS (see bench/engine-vs-torch.sh).
# Usage: bench/models-vs-torch.sh [PEERS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
peers=${1:-../shared/peers}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for t in 1 2; do
  /usr/bin/python3 "$peers/torch_multvae_epoch.py" "$t" | sed "s/^{/{\"side\":\"torch\",\"threads\":$t,/" | tee -a "$out"
done
node dist/src/cli/main.js bench models --json --runs 3 | sed 's/^{/{"side":"untangle",/' | tee -a "$out"
for t in 1 2; do
  /usr/bin/python3 "$peers/torch_multvae_epoch.py" "$t" | sed "s/^{/{\"side\":\"torch\",\"threads\":$t,/" | tee -a "$out"
done
node - "$out" <<'JS'
const lines = require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const torch = Math.min(...[1, 2].map((t) => med(lines.filter((l) => l.side === 'torch' && l.threads === t).map((l) => l.seconds))));
const rows = Object.fromEntries(lines.filter((l) => l.side === 'untangle').map((l) => [l.name.split(' ')[0], { epoch_s: l.median_s, vs_torch_multvae: l.median_s / torch }]));
console.log(JSON.stringify({ summary: 'epoch seconds at ML-1M shape, and the ratio to the best PyTorch Mult-VAE epoch of this session', torch_multvae_epoch_s: torch, models: rows }));
JS
