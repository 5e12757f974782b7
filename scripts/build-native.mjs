// Builds the native kernel addon with node-gyp during `npm ci` / `npm install`. It must never fail the install:
// on any error it records why in build/native-status.json and exits 0, and untangle falls back to its portable
// TypeScript kernels (`untangle doctor` reports the reason). UNTANGLE_SKIP_NATIVE=1 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const statusFile = join(root, 'build', 'native-status.json');

function record(status) {
  mkdirSync(dirname(statusFile), { recursive: true });
  const tmp = `${statusFile}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...status, at: new Date().toISOString() }, null, 2)}\n`);
  renameSync(tmp, statusFile);
}

if (process.env.UNTANGLE_SKIP_NATIVE === '1') {
  record({ ok: false, reason: 'skipped: UNTANGLE_SKIP_NATIVE=1 was set at install time' });
  console.log('untangle: native kernels skipped (UNTANGLE_SKIP_NATIVE=1); the portable kernels will be used.');
  process.exit(0);
}

// npm puts its bundled node-gyp on PATH for lifecycle scripts; npm_config_node_gyp names it explicitly.
const gypScript = process.env.npm_config_node_gyp;
// Use the running Node's own headers when they are installed beside it, so no header download is needed offline.
const prefix = dirname(dirname(process.execPath));
const localHeaders = !process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'));
const gypArgs = ['rebuild', ...(localHeaders ? [`--nodedir=${prefix}`] : [])];
const [cmd, args] = gypScript ? [process.execPath, [gypScript, ...gypArgs]] : ['node-gyp', gypArgs];
const started = Date.now();
const run = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' && !gypScript });
const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
if (run.status === 0) {
  record({ ok: true, seconds: (Date.now() - started) / 1000 });
  console.log(`untangle: native kernels built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} else {
  const why = run.error ? String(run.error.message) : `node-gyp exited with status ${run.status}`;
  const tail = output.split('\n').filter((l) => l.trim() !== '').slice(-15).join('\n');
  record({ ok: false, reason: why, log: tail });
  console.warn(`untangle: could not build the native kernels (${why}); the portable TypeScript kernels will be used.`);
  console.warn('untangle: run `untangle doctor` for details. Last lines of the build log:');
  console.warn(tail);
}
process.exit(0);
