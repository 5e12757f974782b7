#!/usr/bin/env bash
# untangle's Mult-VAE epoch against PyTorch's in the same shell session, interleaved round by round so both see
# the same machine load. Needs a built checkout (npm ci) and, for the PyTorch side, Debian's python3-torch with an
# optimised BLAS behind it (the reference libblas3 makes torch ~25x slower):
#   apt-get install -y python3-torch libopenblas0-pthread
# Usage: bench/engine-vs-torch.sh [ROUNDS] [PEERS_DIR]      (defaults: 3, ../shared/peers)
# Prints every measurement as a JSON line, then a summary line with medians and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
peers=${2:-../shared/peers}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

for r in $(seq 1 "$rounds"); do
  node dist/src/cli/main.js bench engine --json --only ml-1m --runs 3 | sed "s/^{/{\"round\":$r,\"side\":\"untangle\",/" | tee -a "$out"
  for t in 1 2; do
    /usr/bin/python3 "$peers/torch_multvae_epoch.py" "$t" | sed "s/^{/{\"round\":$r,\"side\":\"torch\",\"threads\":$t,/" | tee -a "$out"
  done
  # ML-20M item count: 4 batches of 500 users each side (torch's own scaled estimate; untangle's per-batch time)
  node dist/src/cli/main.js bench engine --json --only ml-20m --ml20m-batches 4 | sed "s/^{/{\"round\":$r,\"side\":\"untangle\",/" | tee -a "$out"
  for t in 1 2; do
    /usr/bin/python3 "$peers/torch_multvae_epoch.py" "$t" 20108 2500 4 | sed "s/^{/{\"round\":$r,\"side\":\"torch\",\"threads\":$t,/" | tee -a "$out"
  done
done

node - "$out" <<'JS'
const lines = require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const ours = (name) => lines.filter((l) => l.side === 'untangle' && l.name === name);
const theirs = (items, t) => lines.filter((l) => l.side === 'torch' && l.items === items && l.threads === t);
const u1m = med(ours('multvae epoch, ml-1m shape').flatMap((l) => l.epochs_s));
// torch: "seconds" is the measured full epoch (13 batches, the last one partial), as untangle's
const t1m = [1, 2].map((t) => med(theirs(3706, t).map((l) => l.seconds)));
const u20 = med(ours('multvae epoch, ml-20m shape').map((l) => l.median_s / l.batches_per_epoch));
const t20 = [1, 2].map((t) => med(theirs(20108, t).map((l) => l.secPerBatch)));
const best1m = Math.min(...t1m);
const best20 = Math.min(...t20);
console.log(JSON.stringify({
  summary: 'medians over all rounds',
  ml1m_epoch_s: { untangle: u1m, torch_1_thread: t1m[0], torch_2_threads: t1m[1], ratio_vs_best_torch: u1m / best1m },
  ml20m_items_s_per_batch: { untangle: u20, torch_1_thread: t20[0], torch_2_threads: t20[1], ratio_vs_best_torch: u20 / best20 },
}));
JS
