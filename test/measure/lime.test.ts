import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/engine/index.js';
import { fitWeightedRidge } from '../../src/measure/learners/weighted-ridge.js';
import { matrix, type Matrix } from '../../src/measure/matrix.js';
import { limeExplainer, limeGlobal } from '../../src/measure/metrics/lime.js';

const TRUE_W = [1.6, -1.1, 0.7, -0.35, 0, 0, 0, 0];

function gaussianCodes(n: number, d: number, rng: Rng): Matrix {
  const m = matrix(n, d);
  for (let k = 0; k < m.data.length; k++) m.data[k] = rng.normal();
  return m;
}

/** P(y=1) = sigmoid(w . x): a planted linear model. */
function planted(x: Matrix): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let z = 0;
    for (let k = 0; k < x.cols; k++) z += TRUE_W[k] * x.data[i * x.cols + k];
    out[i] = 1 / (1 + Math.exp(-z));
  }
  return out;
}

test('weighted ridge: one feature matches the closed form, the intercept is unpenalised', () => {
  // coef = sum w (x - xbar)(y - ybar) / (sum w (x - xbar)^2 + alpha) with weighted means; intercept = ybar - coef xbar.
  const x = [0, 1, 1, 0, 1];
  const y = [0.2, 0.9, 0.7, 0.1, 0.8];
  const w = [1, 0.5, 2, 0.25, 1];
  const sw = w.reduce((a, b) => a + b);
  const xbar = w.reduce((s, wi, i) => s + wi * x[i], 0) / sw;
  const ybar = w.reduce((s, wi, i) => s + wi * y[i], 0) / sw;
  const sxy = w.reduce((s, wi, i) => s + wi * (x[i] - xbar) * (y[i] - ybar), 0);
  const sxx = w.reduce((s, wi, i) => s + wi * (x[i] - xbar) ** 2, 0);
  const fit = fitWeightedRidge(matrix(5, 1, Float64Array.from(x)), y, w, 1);
  assert.ok(Math.abs(fit.coef[0] - sxy / (sxx + 1)) < 1e-12);
  assert.ok(Math.abs(fit.intercept - (ybar - (sxy / (sxx + 1)) * xbar)) < 1e-12);
});

test('LIME: global mean |weight| ranks dimensions by |w| of a planted linear model; irrelevant dims near 0', () => {
  const rng = Rng.seeded(21);
  const codes = gaussianCodes(300, TRUE_W.length, rng.derive('codes'));
  const importance = limeGlobal(codes, planted, { numSamples: 600, maxRows: 120, rng: rng.derive('lime') });
  for (let k = 0; k < 3; k++) assert.ok(importance[k] > importance[k + 1] * 1.3, `dim ${k}: ${Array.from(importance)}`);
  // Irrelevant dims get only the sampling noise of the surrogate (~0.02 here vs ~0.3 for the strongest).
  for (let k = 4; k < TRUE_W.length; k++) {
    assert.ok(
      importance[k] < importance[3] / 1.5 && importance[k] < importance[0] / 8,
      `noise dim ${k}: ${importance[k]}`,
    );
  }
});

test('LIME: local weights carry the sign of the planted effect for an instance in an outer quartile', () => {
  const rng = Rng.seeded(4);
  const codes = gaussianCodes(400, TRUE_W.length, rng.derive('codes'));
  const explainer = limeExplainer(codes, rng.derive('lime'));
  // Every feature at +1.5 (top quartile): being in that bin raises z by w_k * (a lot), so the sign follows w_k.
  const coef = explainer.explain(new Float64Array(TRUE_W.length).fill(1.5), planted, 1000);
  for (let k = 0; k < 4; k++) assert.equal(Math.sign(coef[k]), Math.sign(TRUE_W[k]), `dim ${k}: ${coef[k]}`);
});

test('LIME: deterministic for a seed, different for another', () => {
  const codes = gaussianCodes(60, 5, Rng.seeded(1));
  const run = (seed: number) => limeGlobal(codes, planted, { numSamples: 50, maxRows: 20, rng: Rng.seeded(seed) });
  assert.deepEqual(run(9), run(9));
  assert.notDeepEqual(run(9), run(10));
  const explainer = limeExplainer(codes, Rng.seeded(3));
  const row = codes.data.subarray(0, 5);
  assert.deepEqual(
    explainer.explain(row, planted, 40, Rng.seeded(8)),
    explainer.explain(row, planted, 40, Rng.seeded(8)),
  );
});
