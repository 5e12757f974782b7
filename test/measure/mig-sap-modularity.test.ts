import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/engine/index.js';
import { matrix, sliceRows, type LabelMatrix, type Matrix } from '../../src/measure/matrix.js';
import {
  discreteEntropy,
  discreteMutualInformation,
  histogramDiscretize,
  mig,
  mutualInformationMatrix,
} from '../../src/measure/metrics/mig.js';
import { explicitness, modularity } from '../../src/measure/metrics/modularity.js';
import { fitLinearSvm1d, sap } from '../../src/measure/metrics/sap.js';

const N_FACTORS = 4;
const N_NOISE = 2;
const N_TRAIN = 1500;
const N_TEST = 700;

/** Independent binary factors and a code whose first dims are noisy copies of them, then pure-noise dims. */
function planted(rng: Rng): { codes: Matrix; factors: LabelMatrix } {
  const n = N_TRAIN + N_TEST;
  const d = N_FACTORS + N_NOISE;
  const rates = [0.5, 0.3, 0.6, 0.4];
  const factors: LabelMatrix = {
    data: new Uint8Array(n * N_FACTORS),
    rows: n,
    cols: N_FACTORS,
    names: ['a', 'b', 'c', 'd'],
  };
  const codes = matrix(n, d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < N_FACTORS; j++) {
      const y = rng.uniform() < rates[j] ? 1 : 0;
      factors.data[i * N_FACTORS + j] = y;
      codes.data[i * d + j] = y + 0.25 * rng.normal();
    }
    for (let k = N_FACTORS; k < d; k++) codes.data[i * d + k] = 0.5 * rng.normal();
  }
  return { codes, factors };
}

/** A random orthogonal matrix [d x d] (Gram-Schmidt of a Gaussian matrix), as rows. */
function randomRotation(d: number, rng: Rng): Float64Array[] {
  const q = Array.from({ length: d }, () => Float64Array.from({ length: d }, () => rng.normal()));
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < a; b++) {
      const dot = q[a].reduce((s, v, k) => s + v * q[b][k], 0);
      for (let k = 0; k < d; k++) q[a][k] -= dot * q[b][k];
    }
    const norm = Math.hypot(...q[a]);
    for (let k = 0; k < d; k++) q[a][k] /= norm;
  }
  return q;
}

/** The orthogonal matrix that spreads every factor over every factor dim: Hadamard(4) / 2 on the factor block. */
function hadamardMixing(d: number): Float64Array[] {
  const h = [
    [1, 1, 1, 1],
    [1, -1, 1, -1],
    [1, 1, -1, -1],
    [1, -1, -1, 1],
  ];
  return Array.from({ length: d }, (_, a) =>
    Float64Array.from({ length: d }, (_, k) => (a < 4 && k < 4 ? h[a][k] / 2 : a === k ? 1 : 0)),
  );
}

/** codes [n x d] -> codes q^T: new dim a = sum_k q[a][k] code_k. */
function rotate(codes: Matrix, q: Float64Array[]): Matrix {
  const d = codes.cols;
  const out = matrix(codes.rows, d);
  for (let i = 0; i < codes.rows; i++) {
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += codes.data[i * d + k] * q[a][k];
      out.data[i * d + a] = s;
    }
  }
  return out;
}

function labelRows(y: LabelMatrix, from: number, to: number): LabelMatrix {
  return { ...y, data: y.data.slice(from * y.cols, to * y.cols), rows: to - from };
}

function scores(codes: Matrix, factors: LabelMatrix) {
  const train = sliceRows(codes, 0, N_TRAIN);
  const test = sliceRows(codes, N_TRAIN, codes.rows);
  const yTrain = labelRows(factors, 0, N_TRAIN);
  const yTest = labelRows(factors, N_TRAIN, factors.rows);
  return {
    mig: mig(train, yTrain),
    sap: sap(train, yTrain, test, yTest),
    modularity: modularity(mutualInformationMatrix(train, yTrain)),
    explicitness: explicitness(train, yTrain, test, yTest).mean,
  };
}

test('MIG, SAP, modularity, explicitness: high for planted factors, lower once factors are mixed', () => {
  const rng = Rng.seeded(7);
  const { codes, factors } = planted(rng.derive('data'));
  const d = codes.cols;
  const aligned = scores(codes, factors);
  const random = scores(rotate(codes, randomRotation(d, rng.derive('rotation'))), factors);
  const mixed = scores(rotate(codes, hadamardMixing(d)), factors);
  assert.ok(aligned.mig > 0.8, `aligned MIG ${aligned.mig}`);
  assert.ok(aligned.sap > 0.4, `aligned SAP ${aligned.sap}`);
  // The two noise dims carry a little spurious MI spread over all factors, which caps modularity below 1.
  assert.ok(aligned.modularity > 0.75, `aligned modularity ${aligned.modularity}`);
  assert.ok(aligned.explicitness > 0.98, `aligned explicitness ${aligned.explicitness}`);
  for (const [name, s] of [
    ['random rotation', random],
    ['Hadamard mixing', mixed],
  ] as const) {
    assert.ok(s.mig < aligned.mig - 0.4, `${name}: MIG ${s.mig}`);
    assert.ok(s.sap < aligned.sap - 0.2, `${name}: SAP ${s.sap}`);
    // A rotation keeps every factor linearly decodable: explicitness barely moves.
    assert.ok(Math.abs(s.explicitness - aligned.explicitness) < 0.01, `${name}: explicitness ${s.explicitness}`);
  }
  // Modularity squares the MI, so a code dominated by one factor stays modular: a random rotation in 6-D often
  // leaves it near the aligned value. Mixing every factor equally into every code is what it penalises.
  assert.ok(mixed.modularity < aligned.modularity - 0.3, `mixed modularity ${mixed.modularity}`);
});

test('histogram discretisation matches np.digitize(x, np.histogram(x, 20)[1][:-1])', () => {
  // 0..20 in 20 equal bins: edges 0, 1, ..., 19 are the left edges, so k -> k + 1 and the maximum 20 joins bin 20.
  const x = Array.from({ length: 21 }, (_, k) => k);
  assert.deepEqual(Array.from(histogramDiscretize(x)), [...x.slice(0, 20).map((k) => k + 1), 20]);
  // A constant column spans [v - 0.5, v + 0.5] as in np.histogram: all values in bin 11.
  assert.deepEqual(Array.from(histogramDiscretize([2, 2, 2])), [11, 11, 11]);
});

test('mutual information of a discretised code, by hand', () => {
  // x = 0,0,1,1,2,2,3,3 in 2 bins (left edges 0 and 1.5): bins 1,1,1,1,2,2,2,2; factor y = 0,0,0,1,1,1,1,1.
  // Joint p(bin, y): (1,0) = 3/8, (1,1) = 1/8, (2,1) = 4/8; p(bin) = 1/2, 1/2; p(y) = 3/8, 5/8.
  const x = [0, 0, 1, 1, 2, 2, 3, 3];
  const y = [0, 0, 0, 1, 1, 1, 1, 1];
  const bins = histogramDiscretize(x, 2);
  assert.deepEqual(Array.from(bins), [1, 1, 1, 1, 2, 2, 2, 2]);
  const expected = (3 / 8) * Math.log(2) + (1 / 8) * Math.log(2 / 5) + (1 / 2) * Math.log(8 / 5);
  assert.ok(Math.abs(discreteMutualInformation(bins, y) - expected) < 1e-12);
  const codes = matrix(8, 1, Float64Array.from(x));
  const factors: LabelMatrix = { data: Uint8Array.from(y), rows: 8, cols: 1, names: ['y'] };
  assert.ok(Math.abs(mutualInformationMatrix(codes, factors, 2).data[0] - expected) < 1e-12);
  assert.ok(Math.abs(discreteEntropy(y) - (-(3 / 8) * Math.log(3 / 8) - (5 / 8) * Math.log(5 / 8))) < 1e-12);
});

test('MIG by hand: gap between the two best codes over the factor entropy; constant factors skipped', () => {
  // Code 0 copies factor 0 (MI = H = ln 2), code 1 is independent of it (MI 0): MIG = 1. Factor 1 is constant.
  const codes = matrix(4, 2, Float64Array.from([0, 0, 0, 1, 1, 0, 1, 1]));
  const factors: LabelMatrix = { data: Uint8Array.from([0, 1, 0, 1, 1, 1, 1, 1]), rows: 4, cols: 2, names: ['y', 'c'] };
  assert.ok(Math.abs(mig(codes, factors) - 1) < 1e-12);
});

test('modularity by hand; codes without information score 0 as in disentanglement_lib', () => {
  // Code 0: MI (3, 1, 0): 1 - 1 / (9 * 2) ; code 1: only factor 2 -> 1 ; code 2: no information -> 0.
  const mi = matrix(3, 3, Float64Array.from([3, 1, 0, 0, 0, 0.5, 0, 0, 0]));
  assert.ok(Math.abs(modularity(mi) - (1 - 1 / 18 + 1 + 0) / 3) < 1e-12);
});

test('1-D balanced squared-hinge SVM: zero gradient at the fit, and no grid point does better', () => {
  const rng = Rng.seeded(2);
  const n = 300;
  const x = Float64Array.from({ length: n }, () => rng.normal() + 1);
  const y = Uint8Array.from(x, (v) => (v + 0.8 * rng.normal() > 1.4 ? 1 : 0));
  for (const c of [0.01, 1]) {
    const { weight: w, bias: b } = fitLinearSvm1d(x, y, c);
    let nPos = 0;
    y.forEach((v) => (nPos += v));
    const weightOf = (t: number) => (c * n) / (2 * (t > 0 ? nPos : n - nPos));
    const objective = (ww: number, bb: number) => {
      let f = 0.5 * (ww * ww + bb * bb);
      for (let i = 0; i < n; i++) {
        const t = y[i] ? 1 : -1;
        const m = 1 - t * (ww * x[i] + bb);
        if (m > 0) f += weightOf(t) * m * m;
      }
      return f;
    };
    let gw = w;
    let gb = b;
    for (let i = 0; i < n; i++) {
      const t = y[i] ? 1 : -1;
      const m = 1 - t * (w * x[i] + b);
      if (m > 0) {
        gw -= 2 * weightOf(t) * t * m * x[i];
        gb -= 2 * weightOf(t) * t * m;
      }
    }
    assert.ok(Math.hypot(gw, gb) < 1e-9 * Math.max(1, c * n), `C=${c}: gradient (${gw}, ${gb})`);
    const f = objective(w, b);
    for (let dw = -0.05; dw <= 0.05; dw += 0.01) {
      for (let db = -0.05; db <= 0.05; db += 0.01) assert.ok(objective(w + dw, b + db) >= f - 1e-12);
    }
    assert.ok(w > 0, 'larger x means class 1');
  }
});
