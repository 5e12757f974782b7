// The CLI end to end: every command answers --json with parseable JSON; bad input gives one clear error and a
// non-zero exit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

import { packageRoot } from '../../src/paths.js';

const main = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('doctor --json reports provider, threads, CPU features and a GEMM probe', () => {
  const r = cli(['doctor', '--json', '--probe-seconds', '0.05']);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.match(d.node, /^v\d+/);
  assert.ok(['native', 'portable'].includes(d.kernels.provider));
  assert.ok(d.kernels.threads >= 1 && d.gemmProbe.gflops > 0 && d.gemmProbe.calls >= 1);
  assert.equal(typeof d.cpu.features, 'object');
});

test('UNTANGLE_KERNELS=portable is honoured and explained', () => {
  const d = JSON.parse(cli(['doctor', '--json', '--probe-seconds', '0.05'], { UNTANGLE_KERNELS: 'portable' }).stdout);
  assert.equal(d.kernels.provider, 'portable');
  assert.match(d.kernels.reason, /UNTANGLE_KERNELS=portable/);
  assert.equal(d.kernels.threads, 1);
});

test('a bad UNTANGLE_KERNELS or UNTANGLE_THREADS is one clear error (text or JSON)', () => {
  const text = cli(['doctor'], { UNTANGLE_KERNELS: 'gpu' });
  assert.equal(text.code, 2);
  assert.match(text.stderr, /UNTANGLE_KERNELS=gpu is not a provider; valid: native, portable/);
  const json = cli(['doctor', '--json'], { UNTANGLE_THREADS: '0' });
  assert.equal(json.code, 2);
  assert.deepEqual(Object.keys(JSON.parse(json.stdout)), ['error']);
  assert.equal(JSON.parse(json.stdout).error.code, 'E_CONFIG');
});

test('unknown commands and options fail with a suggestion / JSON error', () => {
  const r = cli(['doctr']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Did you mean doctor/);
  const j = cli(['doctor', '--nope', '--json']);
  assert.equal(j.code, 2);
  assert.equal(JSON.parse(j.stdout).error.code, 'E_USAGE');
});

test('demo --json trains baselines and a Mult-VAE on synthetic data; every model beats TopPop', () => {
  const r = cli(['demo', '--json', '--epochs', '4']);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.deepEqual(
    d.results.map((x: { model: string }) => x.model),
    ['toppop', 'itemknn', 'puresvd', 'ease', 'multvae'],
  );
  const ndcg = (m: string) => d.results.find((x: { model: string }) => x.model === m).test['ndcg@100'].mean;
  for (const m of ['itemknn', 'puresvd', 'ease', 'multvae']) assert.ok(ndcg(m) > ndcg('toppop'), `${m} vs toppop`);
  assert.ok(d.multvaeLosses[3] < d.multvaeLosses[0]);
  assert.match(d.protocol, /strong generalisation/);
});

test('demo is reproducible: same seed, same numbers', () => {
  const run = () => JSON.parse(cli(['demo', '--json', '--epochs', '1', '--seed', '5']).stdout).results;
  const strip = (rs: { test: unknown }[]) => rs.map((x) => x.test);
  assert.deepEqual(strip(run()), strip(run()));
});

test('bench engine --json prints one result object per line', () => {
  const r = cli(['bench', 'engine', '--json', '--only', 'gemm', '--runs', '1']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, 4);
  for (const l of lines) {
    assert.equal(typeof l.name, 'string');
    assert.ok(l.median_s > 0 && l.runs >= 5 && l.gflops > 0);
  }
});

test('bench engine rejects unknown benchmarks, listing the valid ones', () => {
  const r = cli(['bench', 'engine', '--only', 'gemm,ml-100m']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown benchmark "ml-100m"; valid: gemm, ml-1m, ml-20m/);
});
