// The data -> split -> train -> evaluate -> recommend path from the CLI, end to end on a tiny synthetic dataset.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { packageRoot } from '../../src/paths.js';

const main = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'untangle-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const tiny = ['--synthetic-size', 'tiny'];

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [main, ...args], {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, UNTANGLE_CACHE_DIR: join(dir, 'cache') },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

test('data info reports raw and preprocessed counts and the planted factors', () => {
  const r = cli('data', 'info', 'synthetic', ...tiny, '--json');
  assert.equal(r.code, 0, r.stderr);
  const info = r.json();
  assert.ok(info.raw.ratings > 0 && info.preprocessed.stats.users > 0);
  assert.deepEqual(info.metadata.groundTruthFactors, ['genre', 'year', 'quality']);
});

test('split, train, evaluate, recommend', () => {
  const split = cli('data', 'split', 'synthetic', ...tiny, '--out', 'sp', '--seed', '4', '--json');
  assert.equal(split.code, 0, split.stderr);
  const hash = split.json().hash;
  assert.match(hash, /^[0-9a-f]{64}$/);

  const train = cli('train', '--model', 'ease', '--split', 'sp', '--set', 'lambda=50', '--out', 'm/ease.utm', '--json');
  assert.equal(train.code, 0, train.stderr);
  const rec = train.json();
  assert.equal(rec.split.hash, hash);
  assert.equal(rec.model.config.lambda, 50);
  assert.ok(rec.metrics['ndcg@100'].mean > 0 && rec.metrics['ndcg@100'].se > 0);
  assert.ok(rec.codeVersion.version && rec.seed === 1 && rec.evaluatedOn === 'validation');
  assert.ok(existsSync(join(dir, 'm/ease.utm')));
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'm/ease.results.json'), 'utf8')).metrics, rec.metrics);

  const ev = cli('evaluate', '--model-file', 'm/ease.utm', '--split', 'sp', '--results', 'r.json', '--json');
  assert.equal(ev.code, 0, ev.stderr);
  assert.equal(ev.json().evaluatedOn, 'test');
  assert.ok(existsSync(join(dir, 'r.json')));

  const user = JSON.parse(readFileSync(join(dir, 'sp/split.json'), 'utf8')).userIds[0];
  const recs = cli('recommend', '--model-file', 'm/ease.utm', '--split', 'sp', '--user', user, '--k', '5', '--json');
  assert.equal(recs.code, 0, recs.stderr);
  assert.equal(recs.json().recommendations.length, 5);
  const human = cli(
    'recommend',
    '--model-file',
    'm/ease.utm',
    '--split',
    'sp',
    '--items',
    'i1,i2',
    '--k',
    '3',
    '--dataset',
    'synthetic',
    ...tiny,
  );
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /top 3 for items i1,i2/);
});

test('a neural model trains with early stopping from the CLI and reports its training', () => {
  const r = cli(
    'train',
    '--model',
    'multvae',
    '--dataset',
    'synthetic',
    ...tiny,
    '--set',
    'epochs=4',
    '--set',
    'hidden=[32]',
    '--set',
    'latent=8',
    '--out',
    'nn/vae.utm',
    '--json',
  );
  assert.equal(r.code, 0, r.stderr);
  const rec = r.json();
  assert.equal(rec.training.epochsRun, 4);
  assert.ok(rec.training.bestEpoch >= 1 && rec.training.bestValidationNdcg100 > 0);
  assert.ok(!existsSync(join(dir, 'nn/vae.ckpt')), 'the checkpoint is removed after a finished run');
  const models = cli('models', 'macridvae', '--json');
  assert.equal(models.json().options.find((o: { key: string }) => o.key === 'concepts').default, 7);
});

test('train without --split makes and saves a split beside the model', () => {
  const r = cli('train', '--model', 'toppop', '--dataset', 'synthetic', ...tiny, '--out', 'auto/tp.utm', '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'auto/tp.split/split.json')));
});

test('bad input: unknown model, unknown option, unknown dataset, missing files', () => {
  const model = cli('train', '--model', 'slim', '--dataset', 'synthetic', ...tiny);
  assert.equal(model.code, 2);
  assert.match(model.stderr, /unknown model "slim"; valid: toppop, puresvd, itemknn, ease, multdae/);
  const opt = cli('train', '--model', 'ease', '--set', 'lamda=3', '--dataset', 'synthetic', ...tiny);
  assert.equal(opt.code, 2);
  assert.match(opt.stderr, /unknown option\(s\) "lamda" \(valid: lambda\)/);
  const ds = cli('data', 'info', 'ml-10m');
  assert.equal(ds.code, 2);
  assert.match(ds.stderr, /unknown dataset "ml-10m"; valid: synthetic, ml-100k/);
  const missing = cli('data', 'info', 'ml-1m', '--data-dir', dir, '--json');
  assert.equal(missing.code, 1);
  assert.equal(missing.json().error.code, 'E_DATA_MISSING');
  const offline = cli('data', 'info', 'ml-100k', '--no-download');
  assert.equal(offline.code, 1);
  assert.match(offline.stderr, /downloading is off/);
});
