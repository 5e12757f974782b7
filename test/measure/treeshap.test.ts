// Path-dependent TreeSHAP: equal to brute-force Shapley values of the cover-weighted conditional expectation.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/engine/index.js';
import { GradientBoostedTrees } from '../../src/measure/learners/gbt.js';
import { RandomForest } from '../../src/measure/learners/forest.js';
import {
  bruteForceShapley,
  conditionalExpectation,
  expectedValue,
  treeShap,
} from '../../src/measure/learners/treeshap.js';
import type { TreeEnsemble } from '../../src/measure/learners/types.js';
import { matrix } from '../../src/measure/matrix.js';
import type { Matrix } from '../../src/measure/matrix.js';

/** Rows of codes with a nonlinear two-feature label and a weak third feature. */
const data = (seed: number, rows: number, cols: number): { x: Matrix; y: Uint8Array } => {
  const rng = Rng.seeded(seed);
  const x = matrix(
    rows,
    cols,
    Float64Array.from({ length: rows * cols }, () => rng.normal()),
  );
  const y = Uint8Array.from({ length: rows }, (_, i) => {
    const [a, b, c] = [x.data[i * cols], x.data[i * cols + 1], x.data[i * cols + 2]];
    return a * b + 0.3 * c + 0.3 * rng.normal() > 0 ? 1 : 0;
  });
  return { x, y };
};

const checkAgainstBruteForce = (e: TreeEnsemble, x: Matrix, rows: number): void => {
  const shap = treeShap(e, x);
  for (let r = 0; r < rows; r++) {
    const row = x.data.slice(r * x.cols, (r + 1) * x.cols);
    const want = bruteForceShapley((xs, inS) => conditionalExpectation(e, xs, inS), row);
    for (let j = 0; j < x.cols; j++) {
      const got = shap.data[r * x.cols + j];
      assert.ok(Math.abs(got - want[j]) < 1e-9, `row ${r} feature ${j}: ${got} vs ${want[j]}`);
    }
  }
};

test('TreeSHAP equals brute-force Shapley values on a 5-tree depth-3 GBT over 5 features', () => {
  const { x, y } = data(1, 300, 5);
  const gbt = new GradientBoostedTrees({ nEstimators: 5 });
  gbt.fit(x, y);
  checkAgainstBruteForce(gbt.ensemble(), x, 25);
});

test('TreeSHAP handles a feature split twice on one path (deep trees reuse features)', () => {
  const { x, y } = data(2, 200, 4);
  const gbt = new GradientBoostedTrees({ nEstimators: 3, maxDepth: 6 });
  gbt.fit(x, y);
  const e = gbt.ensemble();
  // The check is only meaningful if some path repeats a feature.
  const repeats = e.trees.some((t) => {
    const seen = (node: number, path: number[]): boolean => {
      if (t.left[node] < 0) return false;
      if (path.includes(t.feature[node])) return true;
      const next = [...path, t.feature[node]];
      return seen(t.left[node], next) || seen(t.right[node], next);
    };
    return seen(0, []);
  });
  assert.ok(repeats);
  checkAgainstBruteForce(e, x, 15);
});

test('local accuracy: SHAP values plus the expected value give the raw prediction', () => {
  const { x, y } = data(3, 400, 6);
  const gbt = new GradientBoostedTrees({ nEstimators: 40 });
  gbt.fit(x, y);
  const e = gbt.ensemble();
  const shap = treeShap(e, x);
  const raw = gbt.decisionFunction(x);
  const base = expectedValue(e);
  for (let r = 0; r < x.rows; r++) {
    let s = base;
    for (let j = 0; j < x.cols; j++) s += shap.data[r * x.cols + j];
    assert.ok(Math.abs(s - raw[r]) < 1e-9, `row ${r}`);
  }
  // The expected value is the cover-weighted mean prediction over the training rows (all rows reach the root).
  const meanRaw = raw.reduce((a, b) => a + b, 0) / raw.length;
  assert.ok(Math.abs(base - meanRaw) < 1e-9);
  // Features the model never splits on get exactly zero.
  const used = new Set(e.trees.flatMap((t) => Array.from(t.feature).filter((f) => f >= 0)));
  for (let j = 0; j < x.cols; j++)
    if (!used.has(j)) for (let r = 0; r < x.rows; r++) assert.equal(shap.data[r * x.cols + j], 0);
});

test('TreeSHAP of a random forest explains P(y = 1) and matches brute force', () => {
  const { x, y } = data(4, 150, 4);
  const rf = new RandomForest({ nEstimators: 4, maxDepth: 4, seed: 1 });
  rf.fit(x, y);
  const e = rf.ensemble();
  checkAgainstBruteForce(e, x, 10);
  const p = rf.predictProba(x);
  const shap = treeShap(e, x);
  const base = expectedValue(e);
  for (let r = 0; r < x.rows; r++) {
    let s = base;
    for (let j = 0; j < x.cols; j++) s += shap.data[r * x.cols + j];
    assert.ok(Math.abs(s - p[r]) < 1e-12);
  }
});
