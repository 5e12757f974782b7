// Neural models against the contract: training lowers the loss, recovers planted structure (clearly above TopPop),
// save/load scores identically, and an interrupted + resumed run ends exactly like an uninterrupted one.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import { generateSynthetic } from '../../src/data/loaders/synthetic.js';
import { preprocess } from '../../src/data/preprocess.js';
import { makeSplit } from '../../src/data/split/protocols.js';
import { Rng } from '../../src/engine/index.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { parseMetric } from '../../src/eval/metrics.js';
import type { Recommender } from '../../src/models/model.js';
import type { NeuralRecommender, NeuralNet } from '../../src/models/neural/recommender.js';
import { createModel, loadModel, saveModel } from '../../src/models/registry.js';
import { CheckpointMismatchError } from '../../src/train/trainer.js';
import { providers } from '../helpers/providers.js';

const kernels = providers().at(-1)!.kernels;
const data = preprocess(generateSynthetic({ size: 'tiny', seed: 3 }));
const split = makeSplit(data, { type: 'strong', validationUsers: 0.15, testUsers: 0.15, seed: 2 });
const items = split.itemIds.length;
const dir = mkdtempSync(join(tmpdir(), 'untangle-neural-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const small = { epochs: 40, batchSize: 32, lr: 3e-3, patience: 0 };
const CONFIGS: Record<string, Record<string, unknown>> = {
  multdae: { ...small, latent: 32, l2: 0 },
  multvae: { ...small, hidden: [64], latent: 16, totalAnnealSteps: 200 },
  betavae: { ...small, hidden: [64], latent: 16, beta: 0.1 },
  ae: { ...small, hidden: [64], latent: 16 },
  bpr: { ...small, factors: 16, batchSize: 256, lr: 0.01, epochs: 20 },
  recvae: { ...small, hidden: 64, latent: 16, epochs: 15 },
};

function fit(name: string, config = CONFIGS[name], extra: object = {}): Recommender {
  const m = createModel(name, config, items);
  m.fit(split.fitValidation.matrix, {
    kernels,
    rng: Rng.seeded(7).derive(name),
    validation: split.validation,
    ...extra,
  });
  return m;
}
const ndcg = (m: Recommender) =>
  evaluate(kernels, (h) => m.score(h, kernels), split.test, { metrics: [parseMetric('ndcg@20')] }).metrics['ndcg@20']
    .mean;
const topPop = ndcg(fit('toppop', {}));

describe('neural models on planted structure', () => {
  for (const name of Object.keys(CONFIGS)) {
    test(`${name}: loss falls, beats TopPop by 30%, save/load scores identically`, () => {
      const m = fit(name) as NeuralRecommender<NeuralNet>;
      const losses = m.summary!.history.map(([, loss]) => loss);
      assert.ok(losses.at(-1)! < 0.9 * losses[0], `${name} loss ${losses[0]} -> ${losses.at(-1)}`);
      const s = ndcg(m);
      assert.ok(s > 1.3 * topPop, `${name} ndcg@20 ${s.toFixed(3)} vs toppop ${topPop.toFixed(3)}`);
      const path = join(dir, `${name}.utm`);
      saveModel(path, m, {});
      assert.deepEqual(loadModel(path).model.score(split.test.foldIn, kernels), m.score(split.test.foldIn, kernels));
      const codes = m.net.codes(kernels, split.test.foldIn);
      assert.equal(codes.length % split.test.foldIn.rows, 0);
    });
  }
});

describe('matrix factorisation on explicit ratings', () => {
  test('MF predicts held-out ratings better than the global mean, and its loss falls', () => {
    const explicit = preprocess(generateSynthetic({ size: 'small', seed: 3 }), { threshold: null, binarize: false });
    const s = makeSplit(explicit, { type: 'strong', validationUsers: 0.15, testUsers: 0.15, seed: 2 });
    const m = createModel(
      'mf',
      { factors: 8, epochs: 30, patience: 0, lr: 0.01 },
      s.itemIds.length,
    ) as NeuralRecommender<NeuralNet>;
    m.fit(s.fitValidation.matrix, { kernels, rng: Rng.seeded(1) });
    const losses = m.summary!.history.map(([, loss]) => loss);
    assert.ok(losses.at(-1)! < 0.85 * losses[0], `loss ${losses[0]} -> ${losses.at(-1)}`);
    const scores = m.score(s.test.foldIn, kernels);
    const h = s.test.heldOut;
    const train = s.fitValidation.matrix;
    const mean = train.values.reduce((a, b) => a + b, 0) / train.nnz;
    let se = 0;
    let seMean = 0;
    for (let r = 0; r < h.rows; r++) {
      for (let p = h.indptr[r]; p < h.indptr[r + 1]; p++) {
        se += (scores[r * s.itemIds.length + h.indices[p]] - h.values[p]) ** 2;
        seMean += (mean - h.values[p]) ** 2;
      }
    }
    const rmse = Math.sqrt(se / h.nnz);
    const rmseMean = Math.sqrt(seMean / h.nnz);
    assert.ok(rmse < 0.9 * rmseMean, `MF RMSE ${rmse.toFixed(3)} vs global mean ${rmseMean.toFixed(3)}`);
  });
});

describe('trainer', () => {
  test('early stopping restores the weights of the best validation epoch', () => {
    const m = fit('multvae', { ...CONFIGS.multvae, epochs: 30, patience: 3 }) as NeuralRecommender<NeuralNet>;
    const s = m.summary!;
    assert.ok(s.epochsRun <= 30 && s.bestEpoch !== null);
    const v = evaluate(kernels, (h) => m.score(h, kernels), split.validation, { metrics: [parseMetric('ndcg@100')] })
      .metrics['ndcg@100'].mean;
    assert.ok(Math.abs(v - s.bestMetric!) < 1e-12, `restored model scores ${v}, best was ${s.bestMetric}`);
    if (s.epochsRun < 30) assert.equal(s.epochsRun - 1 - s.bestEpoch!, 3); // stopped after `patience` evaluations without gain
  });

  test('an interrupted and resumed run ends identical to an uninterrupted one; the checkpoint is then removed', () => {
    const config = { ...CONFIGS.multvae, epochs: 8 };
    const straight = fit('multvae', config);
    const ckpt = join(dir, 'run.ckpt');
    const a = createModel('multvae', config, items) as NeuralRecommender<NeuralNet>;
    const ctx = {
      kernels,
      rng: Rng.seeded(7).derive('multvae'),
      validation: split.validation,
      checkpoint: ckpt,
      runKey: 'k',
    };
    a.fit(split.fitValidation.matrix, { ...ctx, stopAfterEpochs: 3 });
    assert.ok(a.summary!.interrupted && existsSync(ckpt));
    const b = createModel('multvae', config, items) as NeuralRecommender<NeuralNet>;
    b.fit(split.fitValidation.matrix, ctx);
    assert.equal(b.summary!.resumedFrom, 3);
    assert.ok(!existsSync(ckpt));
    assert.deepEqual(b.score(split.test.foldIn, kernels), straight.score(split.test.foldIn, kernels));
  });

  test('a checkpoint of another run is refused', () => {
    const ckpt = join(dir, 'other.ckpt');
    const ctx = { kernels, rng: Rng.seeded(1), validation: split.validation, checkpoint: ckpt };
    createModel('multdae', CONFIGS.multdae, items).fit(split.fitValidation.matrix, {
      ...ctx,
      runKey: 'a',
      stopAfterEpochs: 1,
    });
    assert.throws(
      () => createModel('multdae', CONFIGS.multdae, items).fit(split.fitValidation.matrix, { ...ctx, runKey: 'b' }),
      CheckpointMismatchError,
    );
  });

  test('MultVAE anneals beta linearly to its cap; beta-VAE keeps it constant', async () => {
    const { AutoencoderNet } = await import('../../src/models/neural/autoencoder.js');
    const { MultVaeConfig, BetaVaeConfig } = await import('../../src/models/neural/autoencoder.js');
    const vae = new AutoencoderNet(
      'multvae',
      MultVaeConfig.parse({ totalAnnealSteps: 100, betaCap: 0.2 }),
      5,
      Rng.seeded(1),
    );
    assert.deepEqual(
      [0, 10, 20, 50].map((s) => vae.beta(s)),
      [0, 0.1, 0.2, 0.2],
    );
    const beta = new AutoencoderNet('betavae', BetaVaeConfig.parse({ beta: 0.3 }), 5, Rng.seeded(1));
    assert.deepEqual(
      [0, 1000].map((s) => beta.beta(s)),
      [0.3, 0.3],
    );
  });
});
