// MacridVAE on synthetic data with K planted genres: item embeddings separate the genres, the concept assignment
// follows them far above chance without collapsing onto one prototype, and the representations have their shapes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { generateSynthetic } from '../../src/data/loaders/synthetic.js';
import { preprocess } from '../../src/data/preprocess.js';
import { Rng } from '../../src/engine/index.js';
import { normalizedMutualInformation as nmi } from '../../src/measure/nmi.js';
import type { MacridVaeNet } from '../../src/models/neural/macridvae.js';
import type { NeuralRecommender } from '../../src/models/neural/recommender.js';
import { createModel } from '../../src/models/registry.js';
import { providers } from '../helpers/providers.js';

const kernels = providers().at(-1)!.kernels;
// users with (almost) one genre each and no decade or quality effects: the genres are the co-occurrence blocks
const ds = generateSynthetic({ size: 'tiny', seed: 1, genreConcentration: 0.05, yearStrength: 0, qualityStrength: 0 });
const data = preprocess(ds);
const genre = Array.from(data.itemSource, (i) => ds.factors!.itemLevels[0][i]);
const K = ds.factors!.itemLevelCounts[0];
const n = data.matrix.cols;

function fit(extra: object = {}) {
  const m = createModel(
    'macridvae',
    { concepts: K, dfac: 32, lr: 0.01, batchSize: 50, epochs: 50, patience: 0, ...extra },
    n,
  );
  m.fit(data.matrix, { kernels, rng: Rng.seeded(1) });
  return (m as NeuralRecommender<MacridVaeNet>).net;
}

describe('MacridVAE on planted concepts', () => {
  const net = fit();
  test('item embeddings separate the planted genres', () => {
    const d = net.config.dfac;
    const e = net.itemEmb.data;
    const unit = Array.from({ length: n }, (_, i) => {
      const v = e.subarray(i * d, (i + 1) * d);
      const s = Math.hypot(...v);
      return Array.from(v, (x) => x / s);
    });
    const centroid = Array.from({ length: K }, (_, k) => {
      const c = new Array(d).fill(0);
      unit.forEach((u, i) => genre[i] === k && u.forEach((x, j) => (c[j] += x)));
      return c;
    });
    const dot = (a: number[], b: number[]) => a.reduce((s, x, j) => s + x * b[j], 0);
    const nearest = unit.map((u) =>
      centroid.map((c) => dot(u, c)).reduce((best, v, k, all) => (v > all[best] ? k : best), 0),
    );
    const accuracy = nearest.filter((k, i) => k === genre[i]).length / n;
    assert.ok(accuracy > 0.95, `nearest-genre accuracy ${accuracy}`);
  });

  test('concept assignment follows the genres (NMI far above chance) and no prototype takes over', () => {
    const c = net.itemConcepts(kernels);
    const assign = Array.from({ length: n }, (_, i) => {
      let best = 0;
      for (let k = 1; k < K; k++) if (c[i * K + k] > c[i * K + best]) best = k;
      return best;
    });
    const score = nmi(assign, genre);
    assert.ok(score > 0.4, `NMI ${score} (chance ~0.02; measured ~0.6 at this budget)`);
    const sizes = new Array(K).fill(0);
    assign.forEach((a) => sizes[a]++);
    // collapse would put most items on one prototype; here every concept is used and none dominates
    assert.ok(Math.max(...sizes) <= 0.5 * n && Math.min(...sizes) > 0, `concept sizes ${sizes}`);
  });

  test('representations: K x dfac facets, concept weights summing to 1, K-dimensional codes', () => {
    const h = data.matrix.rowRange(0, 5);
    const { facets, conceptWeights } = net.representations(kernels, h);
    assert.equal(facets.length, 5 * K * net.config.dfac);
    for (let r = 0; r < 5; r++) {
      const s = conceptWeights.subarray(r * K, (r + 1) * K).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(s - 1) < 1e-5);
      const facet0 = facets.subarray(r * K * net.config.dfac, r * K * net.config.dfac + net.config.dfac);
      assert.ok(Math.abs(Math.hypot(...facet0) - 1) < 1e-4, 'facets are L2-normalised');
    }
    assert.equal(net.codes(kernels, h).length, 5 * K);
  });

  test('the nogb and inner-product variants train', () => {
    for (const extra of [{ nogb: true }, { similarity: 'dot' }]) {
      const v = fit({ ...extra, epochs: 3 });
      assert.ok(v.score(kernels, data.matrix.rowRange(0, 3)).every(Number.isFinite));
    }
  });
});
