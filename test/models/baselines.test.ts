// Every baseline in the registry against the same contract: it recovers planted structure (clearly above TopPop on
// synthetic data with planted genre tastes), recommends unseen items only, and round-trips through a model file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import { generateSynthetic } from '../../src/data/loaders/synthetic.js';
import { preprocess } from '../../src/data/preprocess.js';
import { makeSplit } from '../../src/data/split/protocols.js';
import { ConfigError } from '../../src/errors.js';
import { CsrMatrix, Graph, Rng, Tensor } from '../../src/engine/index.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { parseMetric } from '../../src/eval/metrics.js';
import { CheckpointError } from '../../src/models/checkpoint.js';
import { recommend } from '../../src/models/recommend.js';
import { createModel, loadModel, saveModel } from '../../src/models/registry.js';

/** The closed-form / non-neural models (neural ones: neural.test.ts). */
const MODEL_NAMES = ['toppop', 'puresvd', 'itemknn', 'ease'];
import { providers } from '../helpers/providers.js';

const kernels = providers().at(-1)!.kernels;
const data = preprocess(generateSynthetic({ size: 'tiny', seed: 3 }));
const split = makeSplit(data, { type: 'strong', validationUsers: 0.15, testUsers: 0.15, seed: 2 });
const items = split.itemIds.length;
const ndcg20 = [parseMetric('ndcg@20')];
const dir = mkdtempSync(join(tmpdir(), 'untangle-models-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fitted(name: string, config: unknown = {}) {
  const m = createModel(name, config, items);
  m.fit(split.fitValidation.matrix, { kernels, rng: Rng.seeded(1).derive(name) });
  return m;
}

const score = (name: string, config: unknown = {}) => {
  const m = fitted(name, config);
  return evaluate(kernels, (h) => m.score(h, kernels), split.test, { metrics: ndcg20 }).metrics['ndcg@20'].mean;
};

const topPop = score('toppop');

describe('baselines on planted structure', () => {
  test('TopPop is a real floor (> 0) on the synthetic data', () => assert.ok(topPop > 0.02, `toppop ${topPop}`));
  for (const name of MODEL_NAMES.filter((n) => n !== 'toppop')) {
    test(`${name} beats TopPop by at least 30%`, () => {
      const s = score(name, name === 'puresvd' ? { factors: 8 } : name === 'ease' ? { lambda: 50 } : {});
      assert.ok(s > 1.3 * topPop, `${name} ndcg@20 ${s.toFixed(3)} vs toppop ${topPop.toFixed(3)}`);
    });
  }
});

describe('model contract', () => {
  for (const name of MODEL_NAMES) {
    test(`${name}: recommends unseen items only, save/load gives identical scores`, () => {
      const m = fitted(name, name === 'puresvd' ? { factors: 8 } : {});
      const history = split.test.foldIn;
      const rec = recommend(kernels, m, history, 10);
      for (let r = 0; r < history.rows; r++) {
        const seen = new Set(history.indices.subarray(history.indptr[r], history.indptr[r + 1]));
        for (let q = 0; q < 10; q++) assert.ok(!seen.has(rec.items[r * 10 + q]), `${name} recommended a seen item`);
      }
      const path = join(dir, `${name}.utm`);
      saveModel(path, m, { seed: 1 });
      const { model, header } = loadModel(path);
      assert.equal(header.model, name);
      assert.deepEqual(header.manifest, { seed: 1 });
      assert.deepEqual(model.score(history, kernels), m.score(history, kernels));
    });
  }

  test('unknown models and options fail with the valid ones listed', () => {
    assert.throws(
      () => createModel('slim', {}, 5),
      (e: unknown) => e instanceof ConfigError && /valid: toppop, puresvd, itemknn, ease, multdae/.test(e.message),
    );
    assert.throws(
      () => createModel('ease', { lamda: 3 }, 5),
      (e: unknown) => e instanceof ConfigError && /unknown option\(s\) "lamda" \(valid: lambda\)/.test(e.message),
    );
    assert.throws(() => createModel('ease', { lambda: -1 }, 5), ConfigError);
  });

  test('a truncated or foreign model file is refused', () => {
    const bad = join(dir, 'bad.utm');
    writeFileSync(bad, 'not a model');
    assert.throws(() => loadModel(bad), CheckpointError);
    const m = fitted('toppop');
    saveModel(bad, m, {});
    writeFileSync(bad, Buffer.from('UNTANGLE'));
    assert.throws(() => loadModel(bad), CheckpointError);
  });
});

describe('closed forms', () => {
  test('EASE satisfies its optimality condition: off-diagonal of (G + lambda I) B - G is 0, diag(B) = 0', () => {
    const x = CsrMatrix.fromDense(6, 4, [1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1]);
    const m = createModel('ease', { lambda: 2 }, 4);
    m.fit(x, { kernels, rng: Rng.seeded(1) });
    const b = m.state().tensors.B.data as Float32Array;
    const g = new Float32Array(16);
    kernels.sparseGram(6, 4, x.indptr, x.indices, x.values, g);
    for (let i = 0; i < 4; i++) {
      assert.equal(b[i * 4 + i], 0);
      for (let j = 0; j < 4; j++) {
        if (i === j) continue;
        let s = 0;
        for (let q = 0; q < 4; q++) s += (g[i * 4 + q] + (i === q ? 2 : 0)) * b[q * 4 + j];
        assert.ok(Math.abs(s - g[i * 4 + j]) < 1e-4, `(${i}, ${j}): ${s} vs ${g[i * 4 + j]}`);
      }
    }
  });

  test('PureSVD recovers the row space of a planted rank-3 matrix', () => {
    const rng = Rng.seeded(5);
    const u = new Tensor(60, 3, rng.fillNormal(new Float32Array(180)));
    const v = new Tensor(20, 3, rng.fillNormal(new Float32Array(60)));
    const dense = new Graph(kernels, { grad: false }).matmul(u, v, { transB: true });
    const x = CsrMatrix.fromDense(60, 20, dense.data);
    const m = createModel('puresvd', { factors: 3, oversample: 5 }, 20);
    m.fit(x, { kernels, rng });
    // x V V^T reproduces x when V spans its row space
    const s = m.score(x, kernels);
    let err = 0;
    let norm = 0;
    for (let i = 0; i < s.length; i++) {
      err += (s[i] - dense.data[i]) ** 2;
      norm += dense.data[i] ** 2;
    }
    assert.ok(Math.sqrt(err / norm) < 1e-3, `relative error ${Math.sqrt(err / norm)}`);
  });

  test('item-kNN similarities are cosines and exclude the item itself', () => {
    const x = CsrMatrix.fromDense(3, 3, [1, 1, 0, 1, 1, 1, 0, 0, 1]);
    const m = createModel('itemknn', { neighbors: 2 }, 3);
    m.fit(x, { kernels, rng: Rng.seeded(1) });
    const { neighbors, similarity } = m.state().tensors;
    // item 0 = [1,1,0], item 1 = [1,1,0], item 2 = [0,1,1]: cos(0,1) = 1, cos(0,2) = 1/2
    assert.deepEqual(Array.from(neighbors.data.subarray(0, 2)), [1, 2]);
    assert.ok(Math.abs(similarity.data[0] - 1) < 1e-6 && Math.abs(similarity.data[1] - 0.5) < 1e-6);
  });
});
