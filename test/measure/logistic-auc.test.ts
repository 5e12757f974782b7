import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/engine/index.js';
import { fitLogisticRegression, logisticProbabilities } from '../../src/measure/learners/logistic.js';
import { matrix } from '../../src/measure/matrix.js';
import { rocAuc } from '../../src/measure/metrics/auc.js';

test('AUC: a hand example with ties (average ranks)', () => {
  // Positives score 0.35, 0.8, 0.4; negatives 0.1, 0.4, 0.4. Pairs won: 0.35 -> 1, 0.8 -> 3, 0.4 -> 1 + 2 * 1/2.
  assert.equal(rocAuc([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.4, 0.4]), 6 / 9);
  assert.equal(rocAuc([0, 1], [0, 1]), 1);
  assert.equal(rocAuc([1, 0], [0, 1]), 0);
  assert.equal(rocAuc([1, 0, 1, 0], [5, 5, 5, 5]), 0.5);
  assert.throws(() => rocAuc([1, 1], [0.2, 0.3]), RangeError);
});

test('logistic regression: intercept-only optimum is the logit of the base rate', () => {
  // With no features the intercept is unpenalised, so the optimum is exactly log(p / (1 - p)).
  const y = Uint8Array.from({ length: 50 }, (_, i) => (i % 10 < 3 ? 1 : 0));
  const model = fitLogisticRegression(matrix(50, 0), y);
  assert.ok(Math.abs(model.intercept - Math.log(0.3 / 0.7)) < 1e-7, `${model.intercept}`);
});

test('logistic regression: the fit satisfies the optimality condition C X^T (p - y) + w = 0, sum(p - y) = 0', () => {
  const rng = Rng.seeded(11);
  const n = 400;
  const d = 6;
  const x = matrix(n, d);
  const y = new Uint8Array(n);
  const truth = [2, -1, 0.5, 0, 0, 1.5];
  for (let i = 0; i < n; i++) {
    let z = 0.3;
    for (let k = 0; k < d; k++) {
      x.data[i * d + k] = rng.normal();
      z += truth[k] * x.data[i * d + k];
    }
    y[i] = rng.uniform() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  for (const c of [1, 0.05]) {
    const model = fitLogisticRegression(x, y, { c });
    const p = logisticProbabilities(model, x);
    const grad = Array.from(model.weights);
    let gradIntercept = 0;
    for (let i = 0; i < n; i++) {
      const r = c * (p[i] - y[i]);
      for (let k = 0; k < d; k++) grad[k] += r * x.data[i * d + k];
      gradIntercept += r;
    }
    const worst = Math.max(Math.abs(gradIntercept), ...grad.map(Math.abs));
    assert.ok(worst < 1e-6 * c * n, `C=${c}: gradient ${worst}`);
    // A stronger penalty shrinks the weights.
    if (c === 1) assert.ok(model.weights[0] > 1.2 && model.weights[1] < -0.6);
  }
});
