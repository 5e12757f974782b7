// Gradient-boosted trees against scikit-learn's GradientBoostingClassifier on the shared DCI reference.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/engine/index.js';
import { GradientBoostedTrees } from '../../src/measure/learners/gbt.js';
import { presort } from '../../src/measure/learners/tree.js';
import { LearnerInputError, NotFittedError } from '../../src/measure/learners/types.js';
import { matrix } from '../../src/measure/matrix.js';
import type { Matrix } from '../../src/measure/matrix.js';
import { reference, skipNoShared } from '../helpers/shared.js';

interface DciGbtReference {
  codes: number[][];
  factors: number[][];
  n_train: number;
  sklearn: {
    importance: number[][];
    disentanglement: number;
    completeness: number;
    informativeness_train: number;
    informativeness_test: number;
  };
}

const toMatrix = (rows: number[][]): Matrix => matrix(rows.length, rows[0].length, Float64Array.from(rows.flat()));

const accuracy = (p: Float64Array, y: Uint8Array): number =>
  p.reduce((s, v, i) => s + ((v > 0.5 ? 1 : 0) === y[i] ? 1 : 0), 0) / y.length;

/** 1 - entropy of each normalised row of m (+1e-11, as disentanglement_lib), in base `base`, weighted by row share. */
const weightedOneMinusEntropy = (m: number[][], base: number): number => {
  const total = m.flat().reduce((a, b) => a + b, 0);
  let out = 0;
  for (const row of m) {
    const p = row.map((v) => v + 1e-11);
    const s = p.reduce((a, b) => a + b, 0);
    const h = -p.reduce((acc, v) => acc + (v / s) * Math.log(v / s), 0) / Math.log(base);
    out += (row.reduce((a, b) => a + b, 0) / total) * (1 - h);
  }
  return out;
};
const disentanglement = (imp: number[][]) => weightedOneMinusEntropy(imp, imp[0].length);
const completeness = (imp: number[][]) =>
  weightedOneMinusEntropy(
    imp[0].map((_, j) => imp.map((row) => row[j])),
    imp.length,
  );

test('GBT matches sklearn on the DCI reference: accuracies, importances, D and C', { skip: skipNoShared }, () => {
  const ref = reference<DciGbtReference>('dci_gbt.json');
  const n = ref.n_train;
  const codes = toMatrix(ref.codes);
  const train = matrix(n, codes.cols, codes.data.slice(0, n * codes.cols));
  const testX = matrix(codes.rows - n, codes.cols, codes.data.slice(n * codes.cols));
  const nFactors = ref.factors[0].length;
  const importance = Array.from({ length: codes.cols }, () => new Array<number>(nFactors).fill(0));
  let accTrain = 0;
  let accTest = 0;
  const sorted = presort(train);
  for (let j = 0; j < nFactors; j++) {
    const y = Uint8Array.from(ref.factors, (row) => row[j]);
    const gbt = new GradientBoostedTrees();
    gbt.fitPresorted(sorted, y.subarray(0, n));
    gbt.featureImportances().forEach((v, i) => (importance[i][j] = v));
    accTrain += accuracy(gbt.predictProba(train), y.subarray(0, n)) / nFactors;
    accTest += accuracy(gbt.predictProba(testX), y.subarray(n)) / nFactors;
  }
  const sk = ref.sklearn;
  assert.ok(Math.abs(accTrain - sk.informativeness_train) < 0.03, `train accuracy ${accTrain}`);
  assert.ok(Math.abs(accTest - sk.informativeness_test) < 0.03, `test accuracy ${accTest}`);
  for (let i = 0; i < codes.cols; i++) {
    for (let j = 0; j < nFactors; j++) {
      assert.ok(
        Math.abs(importance[i][j] - sk.importance[i][j]) < 0.05,
        `importance[${i}][${j}] = ${importance[i][j]}`,
      );
    }
  }
  assert.ok(Math.abs(disentanglement(importance) - sk.disentanglement) < 0.05);
  assert.ok(Math.abs(completeness(importance) - sk.completeness) < 0.05);
  // The local D / C helpers reproduce sklearn's D and C from sklearn's own importances.
  assert.ok(Math.abs(disentanglement(sk.importance) - sk.disentanglement) < 1e-9);
  assert.ok(Math.abs(completeness(sk.importance) - sk.completeness) < 1e-9);
});

/** A small planted problem: y depends on two of six columns, with label noise. */
const planted = (seed: number, rows: number, cols = 6): { x: Matrix; y: Uint8Array } => {
  const rng = Rng.seeded(seed);
  const x = matrix(
    rows,
    cols,
    Float64Array.from({ length: rows * cols }, () => rng.normal()),
  );
  const y = Uint8Array.from({ length: rows }, (_, i) =>
    x.data[i * cols] + 0.5 * x.data[i * cols + 3] + 0.4 * rng.normal() > 0 ? 1 : 0,
  );
  return { x, y };
};

test('training log-loss falls as trees are added, from the prior log-odds', () => {
  const { x, y } = planted(1, 500);
  const gbt = new GradientBoostedTrees({ nEstimators: 50 });
  gbt.fit(x, y);
  const p = y.reduce((a, b) => a + b, 0) / y.length;
  const priorLoss = -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
  assert.ok(gbt.trainLoss[0] < priorLoss);
  for (let k = 1; k < 50; k++) assert.ok(gbt.trainLoss[k] <= gbt.trainLoss[k - 1] + 1e-12, `stage ${k}`);
  // The staged raw scores agree with the recorded losses.
  const raw = gbt.decisionFunction(x, 50);
  const loss = raw.reduce((s, z, i) => s + Math.log1p(Math.exp(z)) - y[i] * z, 0) / y.length;
  assert.ok(Math.abs(loss - gbt.trainLoss[49]) < 1e-9);
  const imp = gbt.featureImportances();
  assert.ok(Math.abs(imp.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(imp[0] > imp[3] && imp[3] > Math.max(imp[1], imp[2], imp[4], imp[5]));
});

test('the same seed gives identical models, also with subsampling; another seed differs', () => {
  const { x, y } = planted(2, 300);
  const fitted = (seed: number) => {
    const gbt = new GradientBoostedTrees({ nEstimators: 20, subsample: 0.7, seed });
    gbt.fit(x, y);
    return gbt.decisionFunction(x);
  };
  assert.deepEqual(fitted(5), fitted(5));
  assert.notDeepEqual(fitted(5), fitted(6));
  const full = new GradientBoostedTrees({ nEstimators: 20 });
  full.fit(x, y);
  const again = new GradientBoostedTrees({ nEstimators: 20, seed: 99 });
  again.fit(x, y);
  assert.deepEqual(full.decisionFunction(x), again.decisionFunction(x)); // no randomness without subsampling
});

test('the ensemble view reproduces decisionFunction; bad input raises typed errors', () => {
  const { x, y } = planted(3, 200);
  const gbt = new GradientBoostedTrees({ nEstimators: 10 });
  assert.throws(() => gbt.predictProba(x), NotFittedError);
  gbt.fit(x, y);
  const e = gbt.ensemble();
  const raw = gbt.decisionFunction(x);
  for (let i = 0; i < x.rows; i++) {
    let z = e.baseValue;
    for (const t of e.trees) {
      let node = 0;
      while (t.left[node] >= 0)
        node = x.data[i * x.cols + t.feature[node]] <= t.threshold[node] ? t.left[node] : t.right[node];
      z += t.value[node];
    }
    assert.ok(Math.abs(z - raw[i]) < 1e-12);
  }
  assert.throws(() => gbt.fit(x, new Uint8Array(200)), LearnerInputError); // one class
  assert.throws(() => gbt.fit(x, new Uint8Array(10)), LearnerInputError); // wrong length
  assert.throws(() => gbt.predictProba(matrix(2, 3)), LearnerInputError);
  assert.throws(() => new GradientBoostedTrees({ learningRate: -1 }));
  assert.throws(() => new GradientBoostedTrees({ maxDepht: 3 } as never)); // unknown key
});

test('timing: GBT defaults on 6000 x 200 codes, one factor (printed, not asserted)', (t) => {
  const { x, y } = planted(4, 6000, 200);
  let t0 = performance.now();
  const sorted = presort(x);
  const sortMs = performance.now() - t0;
  t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const gbt = new GradientBoostedTrees();
  gbt.fitPresorted(sorted, y);
  const fitMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000; // CPU time: less sensitive than wall time to a busy machine
  t.diagnostic(
    `presort ${sortMs.toFixed(0)} ms (once per code matrix); fit per factor ${fitMs.toFixed(0)} ms wall, ` +
      `${cpuMs.toFixed(0)} ms CPU`,
  );
  assert.equal(gbt.trainLoss.length, 100);
});
