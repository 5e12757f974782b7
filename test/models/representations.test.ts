// The representations API: every latent model exposes user codes (and item vectors); item-space models say they
// have none.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { generateSynthetic } from '../../src/data/loaders/synthetic.js';
import { preprocess } from '../../src/data/preprocess.js';
import { Rng } from '../../src/engine/index.js';
import { createModel } from '../../src/models/registry.js';
import { NoRepresentationError, representationsOf } from '../../src/models/representations.js';
import { providers } from '../helpers/providers.js';

const kernels = providers().at(-1)!.kernels;
const data = preprocess(generateSynthetic({ size: 'tiny', seed: 2 })).matrix;
const quick = { epochs: 2, patience: 0, batchSize: 64 };
const LATENT: Record<string, [Record<string, unknown>, number]> = {
  puresvd: [{ factors: 6 }, 6],
  multdae: [{ ...quick, latent: 12 }, 12],
  multvae: [{ ...quick, hidden: [20], latent: 10 }, 10],
  betavae: [{ ...quick, hidden: [20], latent: 10 }, 10],
  ae: [{ ...quick, hidden: [20], latent: 10 }, 10],
  recvae: [{ ...quick, hidden: 20, latent: 10 }, 10],
  macridvae: [{ ...quick, concepts: 3, dfac: 8 }, 3],
  bpr: [{ ...quick, factors: 5 }, 5],
  mf: [{ ...quick, factors: 5 }, 5],
};

for (const [name, [config, dim]] of Object.entries(LATENT)) {
  test(`${name}: user codes [rows x ${dim}] and item vectors`, () => {
    const m = createModel(name, config, data.cols);
    m.fit(data, { kernels, rng: Rng.seeded(1) });
    const r = representationsOf(m, kernels);
    const c = r.userCodes(data.rowRange(0, 7));
    assert.equal(c.rows, 7);
    assert.equal(c.dim, dim);
    assert.ok(c.data.every(Number.isFinite));
    const items = r.itemCodes();
    assert.ok(items && items.rows === data.cols && items.data.length === items.rows * items.dim);
    assert.ok(r.userCodeName.length > 0);
    if (name === 'macridvae') {
      const a = r.conceptAssignment!();
      assert.equal(a.dim, 3);
      for (let i = 0; i < a.rows; i++)
        assert.ok(Math.abs(a.data[i * 3] + a.data[i * 3 + 1] + a.data[i * 3 + 2] - 1) < 1e-5);
      const f = r.facets!(data.rowRange(0, 2));
      assert.equal(f.facets.dim, 3 * 8);
      assert.equal(f.conceptWeights.dim, 3);
    }
  });
}

test('item-space models have no latent user representation', () => {
  for (const name of ['toppop', 'itemknn', 'ease']) {
    const m = createModel(name, {}, data.cols);
    m.fit(data, { kernels, rng: Rng.seeded(1) });
    assert.throws(() => representationsOf(m, kernels), NoRepresentationError);
  }
});
