import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/engine/rng.js';
import { MeasureConfig } from '../../src/measure/config.js';
import { type LabelMatrix, type Matrix, matrix } from '../../src/measure/matrix.js';
import { measureCodes } from '../../src/measure/run.js';

/** n users with F independent binary factors, and a code that copies them with Gaussian noise. */
function planted(n: number, F: number, noise: number, seed: number): { codes: Matrix; labels: LabelMatrix } {
  const rng = Rng.seeded(seed);
  const labels = new Uint8Array(n * F);
  const codes = matrix(n, F);
  for (let i = 0; i < n; i++)
    for (let f = 0; f < F; f++) {
      const y = rng.uniform() < 0.3 + 0.1 * f ? 1 : 0;
      labels[i * F + f] = y;
      codes.data[i * F + f] = y + noise * rng.normal();
    }
  return { codes, labels: { data: labels, rows: n, cols: F, names: Array.from({ length: F }, (_, f) => `f${f}`) } };
}

/** codes x Q for a random orthogonal Q (Gram-Schmidt of a Gaussian matrix). */
function rotate(codes: Matrix, seed: number): Matrix {
  const d = codes.cols;
  const rng = Rng.seeded(seed);
  const q = Array.from({ length: d }, () => Array.from({ length: d }, () => rng.normal()));
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < a; b++) {
      const dot = q[a].reduce((s, v, k) => s + v * q[b][k], 0);
      q[a] = q[a].map((v, k) => v - dot * q[b][k]);
    }
    const norm = Math.hypot(...q[a]);
    q[a] = q[a].map((v) => v / norm);
  }
  const out = matrix(codes.rows, d);
  for (let i = 0; i < codes.rows; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += codes.data[i * d + k] * q[j][k];
      out.data[i * d + j] = s;
    }
  return out;
}

const config = MeasureConfig.parse({ limeUsers: 60, limeSamples: 200, shapUsers: 300, seed: 3 });

test('a noisy copy of independent factors is disentangled (D, C > 0.9); a random rotation of it is not', () => {
  const { codes, labels } = planted(1200, 4, 0.15, 1);
  const copy = measureCodes(codes, labels, config).scores;
  const mixed = measureCodes(rotate(codes, 7), labels, config).scores;
  assert.ok(
    copy.disentanglement! > 0.9 && copy.completeness! > 0.9,
    `copy: D ${copy.disentanglement} C ${copy.completeness}`,
  );
  assert.ok(copy.accuracyTest! > 0.95, `accuracy ${copy.accuracyTest}`);
  assert.ok(mixed.disentanglement! < copy.disentanglement! - 0.3, `rotated D ${mixed.disentanglement}`);
  assert.ok(mixed.completeness! < copy.completeness! - 0.3, `rotated C ${mixed.completeness}`);
  // the rotation keeps the information (accuracy) but spreads it over the dimensions
  assert.ok(mixed.accuracyTest! > 0.9, `rotated accuracy ${mixed.accuracyTest}`);
  for (const k of ['mig', 'sap', 'shap', 'lime'] as const)
    assert.ok(mixed[k]! < copy[k]! - 0.1, `${k}: copy ${copy[k]} rotated ${mixed[k]}`);
  assert.ok(copy.shap! > 0.8 && copy.lime! > 0.6, `interpretability: SHAP ${copy.shap}, LIME ${copy.lime}`);
  assert.ok(copy.uncorrelatedness! > 0.9, `uncorrelatedness ${copy.uncorrelatedness}`);
});

test('measurement is reproducible and measures only what is asked', () => {
  const { codes, labels } = planted(300, 3, 0.3, 2);
  const a = measureCodes(codes, labels, config);
  const b = measureCodes(codes, labels, config);
  assert.deepEqual(a.scores, b.scores);
  const only = measureCodes(codes, labels, MeasureConfig.parse({ measures: ['mig', 'uncorrelatedness'] })).scores;
  assert.deepEqual(Object.keys(only).sort(), ['mig', 'uncorrelatedness']);
});

test('a factor with one class among the training users is skipped, not fatal', () => {
  const { codes, labels } = planted(200, 3, 0.3, 4);
  for (let i = 0; i < labels.rows; i++) labels.data[i * 3 + 1] = 0;
  const { scores, details } = measureCodes(codes, labels, config);
  assert.deepEqual(details.skipped, ['f1']);
  assert.ok(Number.isFinite(scores.disentanglement!));
});
