import { z } from 'zod';

import { Graph } from '../../engine/autodiff/graph.js';
import type { CsrMatrix } from '../../engine/csr.js';
import type { Kernels } from '../../engine/kernels/types.js';
import type { Adam } from '../../engine/optim.js';
import type { Rng } from '../../engine/rng.js';
import { Tensor } from '../../engine/tensor.js';
import { userBatchEpoch } from '../../train/epoch.js';
import { type EpochContext, type Trainable, TrainerConfig } from '../../train/trainable.js';
import { type Dense, denseLayer } from '../layers.js';
import { adamWithL2 } from './optimizers.js';

export const MacridVaeConfig = TrainerConfig.extend({
  concepts: z.number().int().min(1).default(7).describe('K: number of macro concepts (prototypes)'),
  dfac: z
    .number()
    .int()
    .positive()
    .default(100)
    .describe('dimension of item embeddings, prototypes and each facet of z'),
  tau: z.number().positive().default(0.1).describe('temperature of the cosine similarities'),
  sigma0: z.number().positive().default(0.075).describe('standard deviation of the prior N(0, sigma0^2 I)'),
  beta: z
    .number()
    .min(0)
    .default(0.2)
    .describe('largest KL weight; annealed as min(beta, step / (annealEpochs * batches per epoch))'),
  annealEpochs: z.number().positive().default(5).describe('epochs over which the KL weight reaches beta'),
  dropout: z.number().min(0).lt(1).default(0.5).describe('dropout on each masked, normalised input (keep 0.5)'),
  l2: z.number().min(0).default(0).describe('L2 penalty on weights, item embeddings and prototypes'),
  nogb: z.boolean().default(false).describe('use plain softmax concept assignment while training (no Gumbel-softmax)'),
  similarity: z
    .enum(['cosine', 'dot'])
    .default('cosine')
    .describe("'dot' replaces cosine similarity by the inner product (the paper's mode-collapse ablation, Fig. 2e)"),
}).strict();
export type MacridVaeConfig = z.infer<typeof MacridVaeConfig>;

/** The per-user and per-item representations MacridVAE exposes. */
export interface MacridCodes {
  /** [rows x K * dfac]: the K facets of z (mu), facet k at columns k*dfac .. (k+1)*dfac. */
  facets: Float32Array;
  /** [rows x K]: share of the user's (fold-in) interactions in each concept, sum_i x_i c_ik / sum_i x_i. */
  conceptWeights: Float32Array;
}

/**
 * MacridVAE (Ma et al., NeurIPS 2019), following the original code:
 * - items h_i and prototypes m_k (dfac-dimensional) give concept assignments c_i = softmax(cos(h_i, m_k) / tau) over
 *   the K concepts, sampled with Gumbel-softmax (temperature 1, one draw per batch) while training;
 * - for each concept k the input is masked by c_k, then L2-normalised, then dropped out (this order matters),
 *   and one shared encoder (tanh layer of width dfac, then a linear layer to 2 dfac) gives mu_k (L2-normalised) and
 *   sigma_k = sigma0 exp(-h/2); the KL is taken against N(0, sigma0^2);
 * - z_k is sampled, re-normalised, and the decoder is log sum_k c_ik exp(cos(z_k, h_i) / tau) into the multinomial
 *   likelihood.
 */
export class MacridVaeNet implements Trainable {
  readonly config: MacridVaeConfig;
  readonly items: number;
  readonly enc1: Dense;
  readonly enc2: Dense;
  readonly itemEmb: Tensor;
  readonly cores: Tensor;
  private opts: Record<string, Adam> | null = null;

  constructor(config: MacridVaeConfig, items: number, rng: Rng) {
    this.config = config;
    this.items = items;
    const d = config.dfac;
    this.enc1 = denseLayer(items, d, rng.derive('init', 'enc1'));
    this.enc2 = denseLayer(d, 2 * d, rng.derive('init', 'enc2'));
    const glorot = (rows: number, cols: number, key: string) => {
      const a = Math.sqrt(6 / (rows + cols));
      return Tensor.param(rows, cols, rng.derive('init', key).fillUniform(new Float32Array(rows * cols), -a, a));
    };
    this.itemEmb = glorot(items, d, 'items');
    this.cores = glorot(config.concepts, d, 'cores');
  }

  parameters(): [string, Tensor][] {
    return [
      ['enc1.w', this.enc1.w],
      ['enc1.b', this.enc1.b],
      ['enc2.w', this.enc2.w],
      ['enc2.b', this.enc2.b],
      ['items.w', this.itemEmb],
      ['cores.w', this.cores],
    ];
  }

  optimizers(kernels: Kernels): Record<string, Adam> {
    this.opts ??= adamWithL2(this.parameters(), kernels, this.config.lr, this.config.l2);
    return this.opts;
  }

  /** Item embeddings and prototypes as the similarity uses them (normalised for cosine). */
  private geometry(g: Graph): { items: Tensor; cores: Tensor } {
    if (this.config.similarity === 'dot') return { items: this.itemEmb, cores: this.cores };
    return { items: g.rowL2Normalize(this.itemEmb), cores: g.rowL2Normalize(this.cores) };
  }

  /** Concept assignment of every item: [items x K]; a Gumbel-softmax sample when `rng` is given (training). */
  concepts(g: Graph, rng?: Rng): Tensor {
    const { items, cores } = this.geometry(g);
    const logits = g.matmul(items, cores, { transB: true, alpha: 1 / this.config.tau });
    return rng && !this.config.nogb ? g.gumbelSoftmax(logits, 1, rng.derive('gumbel')) : g.softmax(logits);
  }

  /**
   * The forward pass over a batch: per concept the facet mu_k, the sample z_k (mu_k without rng), the per-user KL,
   * and the mixture logits. With rng: Gumbel concepts, dropout and sampling (training).
   */
  forward(g: Graph, batch: CsrMatrix, rng?: Rng) {
    const { tau, dfac: d, sigma0 } = this.config;
    const K = this.config.concepts;
    const { items } = this.geometry(g);
    const cates = this.concepts(g, rng);
    const catesT = g.transpose(cates); // [K x items]: row k is the mask c_k
    const input = g.sparse(batch);
    const zeros = new Tensor(batch.rows, d);
    const priorLogVar = 2 * Math.log(sigma0);
    const logits: Tensor[] = [];
    const weights: Tensor[] = [];
    const mus: Tensor[] = [];
    let kl: Tensor | null = null;
    for (let k = 0; k < K; k++) {
      const ck = g.slice(catesT, 0, k, k + 1);
      let x = g.sparseRowNormalize(g.sparseScaleColumns(input, ck));
      if (rng) x = g.sparseDropout(x, this.config.dropout, rng.derive('dropout', k));
      const h = g.linear(g.tanh(g.linearSparse(x, this.enc1.w, this.enc1.b)), this.enc2.w, this.enc2.b);
      const mu = g.rowL2Normalize(g.slice(h, 1, 0, d));
      const lnvarSubLnvar0 = g.scale(g.slice(h, 1, d, 2 * d), -1); // ln(sigma^2 / sigma0^2)
      const klK = g.klDiagGaussian(zeros, lnvarSubLnvar0); // KL to N(0, sigma0^2) for a normalised mu
      kl = kl ? g.add(kl, klK) : klK;
      const z = rng ? g.reparameterize(mu, g.addScalar(lnvarSubLnvar0, priorLogVar), rng.derive('z', k)) : mu;
      logits.push(g.matmul(g.rowL2Normalize(z), items, { transB: true, alpha: 1 / tau }));
      weights.push(ck);
      mus.push(mu);
    }
    return { logits: g.logSumExpWeighted(logits, weights), kl: kl as Tensor, mus, cates };
  }

  beta(step: number, batchesPerEpoch: number): number {
    return Math.min(this.config.beta, step / (this.config.annealEpochs * batchesPerEpoch));
  }

  trainEpoch(ctx: EpochContext): { loss: number; step: number } {
    const batchesPerEpoch = Math.ceil(ctx.data.rows / this.config.batchSize);
    const model = {
      loss: (g: Graph, batch: CsrMatrix, step: number, rng: Rng) => {
        const { logits, kl } = this.forward(g, batch, rng);
        const nll = g.mean(g.multinomialNll(logits, batch));
        return g.add(nll, g.scale(g.mean(kl), this.beta(step, batchesPerEpoch)));
      },
    };
    return userBatchEpoch(model, ctx, Object.values(this.optimizers(ctx.kernels)), this.config.batchSize);
  }

  score(kernels: Kernels, history: CsrMatrix): Float32Array {
    return this.forward(new Graph(kernels, { grad: false }), history).logits.data;
  }

  /**
   * The facet-averaged code used by Dervishaj et al.: each of the K facets mu_k averaged over its dfac dimensions,
   * K numbers per user. The full K x dfac code is in representations().facets.
   */
  codes(kernels: Kernels, history: CsrMatrix): Float32Array {
    const { facets } = this.representations(kernels, history);
    const { concepts: K, dfac: d } = this.config;
    const out = new Float32Array(history.rows * K);
    for (let r = 0; r < history.rows; r++) {
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += facets[r * K * d + k * d + j];
        out[r * K + k] = s / d;
      }
    }
    return out;
  }

  /** Every facet and the user's concept weights (evaluation mode). */
  representations(kernels: Kernels, history: CsrMatrix): MacridCodes {
    const g = new Graph(kernels, { grad: false });
    const { mus, cates } = this.forward(g, history);
    const { concepts: K, dfac: d } = this.config;
    const facets = new Float32Array(history.rows * K * d);
    mus.forEach((mu, k) => {
      for (let r = 0; r < history.rows; r++) facets.set(mu.data.subarray(r * d, (r + 1) * d), r * K * d + k * d);
    });
    const conceptWeights = new Float32Array(history.rows * K);
    for (let r = 0; r < history.rows; r++) {
      let total = 0;
      for (let p = history.indptr[r]; p < history.indptr[r + 1]; p++) {
        const v = history.values[p];
        total += v;
        for (let k = 0; k < K; k++) conceptWeights[r * K + k] += v * cates.data[history.indices[p] * K + k];
      }
      for (let k = 0; k < K; k++) conceptWeights[r * K + k] /= total || 1;
    }
    return { facets, conceptWeights };
  }

  /** Concept assignment of every item (plain softmax, as at evaluation): [items x K]. */
  itemConcepts(kernels: Kernels): Float32Array {
    return this.concepts(new Graph(kernels, { grad: false })).data;
  }
}
