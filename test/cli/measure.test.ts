// untangle measure end to end: train a model on tiny synthetic data, then measure its codes from the CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { packageRoot } from '../../src/paths.js';

const main = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'untangle-measure-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const tiny = ['--synthetic-size', 'tiny'];
const measureSynthetic = [
  'measure',
  '--model-file',
  'svd.utm',
  '--factors',
  'synthetic',
  ...tiny,
  '--set',
  'limeUsers=40',
  '--json',
];

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', cwd: dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

test('measure: train PureSVD, then every measure against planted factors and genres, with the manifest', () => {
  const train = cli('train', '--model', 'puresvd', '--set', 'factors=8', ...tiny, '--out', 'svd.utm', '--json');
  assert.equal(train.code, 0, train.stderr);
  const r = cli(...measureSynthetic);
  assert.equal(r.code, 0, r.stderr);
  const rec = r.json();
  assert.equal(rec.kind, 'measure');
  assert.equal(rec.code.dims, 8);
  assert.match(rec.split.hash, /^[0-9a-f]{64}$/);
  assert.ok(rec.factors.names.some((n: string) => n.startsWith('genre=')));
  for (const k of [
    'disentanglement',
    'completeness',
    'accuracyTest',
    'mig',
    'sap',
    'modularity',
    'explicitness',
    'uncorrelatedness',
    'lime',
    'shap',
  ])
    assert.ok(Number.isFinite(rec.scores[k]) && rec.scores[k] >= 0 && rec.scores[k] <= 1, `${k} = ${rec.scores[k]}`);
  assert.ok(existsSync(join(dir, 'svd.measure.json')));
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'svd.measure.json'), 'utf8')).scores, rec.scores);
  // same seed, same numbers
  const again = cli(...measureSynthetic);
  assert.deepEqual(again.json().scores, rec.scores);

  const genres = cli(
    'measure',
    '--model-file',
    'svd.utm',
    '--factors',
    'genres',
    ...tiny,
    '--measures',
    'dci,mig',
    '--json',
  );
  assert.equal(genres.code, 0, genres.stderr);
  assert.deepEqual(Object.keys(genres.json().scores).sort(), [
    'accuracyTest',
    'accuracyTrain',
    'completeness',
    'disentanglement',
    'mig',
  ]);
});

test('measure: item vectors against item-level planted factors', () => {
  const r = cli(
    'measure',
    '--model-file',
    'svd.utm',
    '--factors',
    'synthetic',
    '--code',
    'items',
    ...tiny,
    '--measures',
    'dci,mig',
    '--json',
  );
  assert.equal(r.code, 0, r.stderr);
  const rec = r.json();
  assert.equal(rec.code.kind, 'items');
  assert.ok(rec.details.users.total > 140 && rec.details.users.total <= 150); // the split's items (tiny: 150 in all)
  assert.ok(rec.factors.names.includes('genre=Action'));
  assert.ok(rec.scores.accuracyTest > 0.5);
});

test('measure: a bad option is one clear error; item-space models have no codes', () => {
  const bad = cli('measure', '--model-file', 'svd.utm', '--factors', 'moods', ...tiny, '--json');
  assert.equal(bad.code, 2);
  assert.match(bad.json().error.message, /factors/);
  const ease = cli('train', '--model', 'ease', ...tiny, '--out', 'ease.utm', '--json');
  assert.equal(ease.code, 0, ease.stderr);
  const r = cli('measure', '--model-file', 'ease.utm', ...tiny, '--json');
  assert.notEqual(r.code, 0);
  assert.equal(r.json().error.code, 'E_NO_REPRESENTATION');
});
