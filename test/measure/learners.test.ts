// Random forest, lasso and the GBT grid search: planted signals, sklearn conventions, sensible choices.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/engine/index.js';
import { RandomForest } from '../../src/measure/learners/forest.js';
import { gridSearchGbt, scoreGbtGrid, stratifiedTwoFold } from '../../src/measure/learners/grid-search.js';
import { Lasso } from '../../src/measure/learners/lasso.js';
import { NotFittedError } from '../../src/measure/learners/types.js';
import { matrix } from '../../src/measure/matrix.js';
import type { Matrix } from '../../src/measure/matrix.js';

/** y = 1 when column `signal` (plus a little of column 1) exceeds a threshold, with label noise. */
const planted = (seed: number, rows: number, cols: number, signal: number): { x: Matrix; y: Uint8Array } => {
  const rng = Rng.seeded(seed);
  const x = matrix(
    rows,
    cols,
    Float64Array.from({ length: rows * cols }, () => rng.normal()),
  );
  const y = Uint8Array.from({ length: rows }, (_, i) =>
    x.data[i * cols + signal] + 0.3 * x.data[i * cols + 1] + 0.3 * rng.normal() > 0.2 ? 1 : 0,
  );
  return { x, y };
};

const argmax = (v: Float64Array): number => v.indexOf(Math.max(...v));
const accuracy = (p: Float64Array, y: Uint8Array): number =>
  p.reduce((s, v, i) => s + ((v > 0.5 ? 1 : 0) === y[i] ? 1 : 0), 0) / y.length;

test('random forest: the planted feature gets the largest importance; deterministic per seed', () => {
  const { x, y } = planted(1, 400, 8, 5);
  const rf = new RandomForest({ nEstimators: 30, seed: 3 });
  assert.throws(() => rf.featureImportances(), NotFittedError);
  rf.fit(x, y);
  const imp = rf.featureImportances();
  assert.equal(argmax(imp), 5);
  assert.ok(Math.abs(imp.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(imp.every((v) => v >= 0));
  assert.ok(accuracy(rf.predictProba(x), y) > 0.95); // fully grown trees nearly memorise the training rows
  const again = new RandomForest({ nEstimators: 30, seed: 3 });
  again.fit(x, y);
  assert.deepEqual(again.predictProba(x), rf.predictProba(x));
  const other = new RandomForest({ nEstimators: 30, seed: 4 });
  other.fit(x, y);
  assert.notDeepEqual(other.predictProba(x), rf.predictProba(x));
  const heldOut = planted(2, 300, 8, 5);
  assert.ok(accuracy(rf.predictProba(heldOut.x), heldOut.y) > 0.75);
});

test('lasso: sparse coefficients on the planted features; matches the closed form in one dimension', () => {
  const { x, y } = planted(3, 500, 10, 7);
  const lasso = new Lasso({ alpha: 0.01 });
  lasso.fit(x, y);
  const imp = lasso.featureImportances();
  assert.equal(argmax(imp), 7);
  assert.ok(imp[1] > 0);
  assert.ok(Math.abs(imp.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  const p = lasso.predictProba(x);
  assert.ok(p.every((v) => v >= 0 && v <= 1));
  assert.ok(accuracy(p, y) > 0.8);
  // A large alpha zeroes everything: the prediction is the label mean.
  const flat = new Lasso({ alpha: 10 });
  flat.fit(x, y);
  assert.ok(flat.coefficients().every((w) => w === 0));
  assert.ok(Math.abs(flat.interceptValue() - y.reduce((a, b) => a + b, 0) / y.length) < 1e-12);
  assert.ok(flat.featureImportances().every((v) => v === 0));
  // One centred feature: w = soft-threshold(x'y / n, alpha) / (x'x / n).
  const rng = Rng.seeded(4);
  const x1 = matrix(
    200,
    1,
    Float64Array.from({ length: 200 }, () => rng.normal()),
  );
  const y1 = Uint8Array.from(x1.data, (v) => (v + 0.5 * rng.normal() > 0 ? 1 : 0));
  const one = new Lasso({ alpha: 0.05 });
  one.fit(x1, y1);
  const mx = x1.data.reduce((a, b) => a + b, 0) / 200;
  const my = y1.reduce((a, b) => a + b, 0) / 200;
  let xy = 0;
  let xx = 0;
  for (let i = 0; i < 200; i++) {
    xy += ((x1.data[i] - mx) * (y1[i] - my)) / 200;
    xx += (x1.data[i] - mx) ** 2 / 200;
  }
  const want = (Math.sign(xy) * Math.max(Math.abs(xy) - 0.05, 0)) / xx;
  assert.ok(Math.abs(one.coefficients()[0] - want) < 1e-12);
});

test("stratified 2-fold split: sklearn's StratifiedKFold(2) allocation, classes in order of appearance", () => {
  // sklearn: y = [1,1,0,1,0,0,1,1,0] -> test folds [0,0,0,0,0,1,1,1,1]
  assert.deepEqual(
    Array.from(stratifiedTwoFold(Uint8Array.from([1, 1, 0, 1, 0, 0, 1, 1, 0]))),
    [0, 0, 0, 0, 0, 1, 1, 1, 1],
  );
  const y = Uint8Array.from({ length: 101 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const fold = stratifiedTwoFold(y);
  assert.equal(Array.from(fold).join(''), '0'.repeat(51) + '1'.repeat(50)); // as computed by sklearn 1.9
  const pos = [0, 1].map((f) => y.filter((v, i) => v === 1 && fold[i] === f).length);
  assert.ok(Math.abs(pos[0] - pos[1]) <= 1);
});

test('grid search: scores every candidate in grid order and picks a sensible setting', () => {
  const { x, y } = planted(5, 300, 4, 2);
  const grid = { learningRate: [0.1, 0.001], minSamplesLeaf: [1], minSamplesSplit: [2], nEstimators: [2, 30] };
  const results = scoreGbtGrid(x, y, { grid });
  assert.deepEqual(
    results.map((r) => [r.params.learningRate, r.params.nEstimators]),
    [
      [0.1, 2],
      [0.1, 30],
      [0.001, 2],
      [0.001, 30],
    ],
  );
  // With a learning rate of 0.001 the scores barely move from the prior: the model predicts the majority class.
  const best = gridSearchGbt(x, y, { grid });
  assert.deepEqual(best, { learningRate: 0.1, minSamplesLeaf: 1, minSamplesSplit: 2, nEstimators: 30 });
  const top = results.find((r) => r.params.learningRate === 0.1 && r.params.nEstimators === 30)!;
  assert.ok(top.meanAccuracy > 0.85);
  for (const r of results) assert.ok(r.meanAccuracy <= top.meanAccuracy);
  // Ties go to the first candidate in grid order.
  const tied = scoreGbtGrid(x, y, { grid: { ...grid, learningRate: [0.001], nEstimators: [1, 2] } });
  assert.equal(tied[0].meanAccuracy, tied[1].meanAccuracy);
  assert.equal(gridSearchGbt(x, y, { grid: { ...grid, learningRate: [0.001], nEstimators: [1, 2] } }).nEstimators, 1);
});
