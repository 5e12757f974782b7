import { z } from 'zod';

import { Graph } from '../engine/autodiff/graph.js';
import type { Kernels } from '../engine/kernels/types.js';
import type { CsrMatrix } from '../engine/csr.js';
import type { Rng } from '../engine/rng.js';
import type { Tensor } from '../engine/tensor.js';
import { type Dense, applyDense, applyDenseSparse, denseLayer } from './layers.js';

export const MultVaeNetConfig = z
  .object({
    hidden: z.number().int().positive().default(600).describe('width of the encoder and decoder hidden layer'),
    latent: z.number().int().positive().default(200).describe('dimension of the latent code z'),
    dropout: z.number().min(0).lt(1).default(0.5).describe('dropout rate on the L2-normalised input'),
    betaCap: z.number().min(0).default(0.2).describe('largest KL weight reached by the linear annealing'),
    totalAnnealSteps: z
      .number()
      .int()
      .positive()
      .default(200000)
      .describe('updates over which beta grows linearly from 0 to betaCap (Liang et al.)'),
  })
  .strict();
export type MultVaeNetConfig = z.infer<typeof MultVaeNetConfig>;

/** Outputs of one forward pass over a batch of users. */
export interface MultVaeForward {
  logits: Tensor;
  mu: Tensor;
  logvar: Tensor;
}

/**
 * The Mult-VAE network of Liang et al. 2018: I -> hidden -> 2 x latent (mu, log sigma^2) -> hidden -> I with tanh,
 * dropout on the L2-normalised input, multinomial likelihood and a linearly annealed KL term.
 */
export class MultVaeNet {
  readonly config: MultVaeNetConfig;
  readonly items: number;
  readonly enc1: Dense;
  readonly enc2: Dense;
  readonly dec1: Dense;
  readonly dec2: Dense;

  constructor(items: number, config: Partial<MultVaeNetConfig>, rng: Rng) {
    this.config = MultVaeNetConfig.parse(config);
    this.items = items;
    const { hidden, latent } = this.config;
    this.enc1 = denseLayer(items, hidden, rng.derive('init', 'enc1'));
    this.enc2 = denseLayer(hidden, 2 * latent, rng.derive('init', 'enc2'));
    this.dec1 = denseLayer(latent, hidden, rng.derive('init', 'dec1'));
    this.dec2 = denseLayer(hidden, items, rng.derive('init', 'dec2'));
  }

  /** Every trainable tensor, in a fixed order. */
  parameters(): Tensor[] {
    return [this.enc1, this.enc2, this.dec1, this.dec2].flatMap((l) => [l.w, l.b]);
  }

  /**
   * Encodes and decodes a batch of user histories [batch x items]. With `rng` (training) the input is dropped out and
   * z is sampled; without it (evaluation) there is no dropout and z = mu.
   */
  forward(g: Graph, batch: CsrMatrix, rng?: Rng): MultVaeForward {
    let x = g.sparseRowNormalize(g.sparse(batch));
    if (rng) x = g.sparseDropout(x, this.config.dropout, rng.derive('dropout'));
    const h = g.tanh(applyDenseSparse(g, this.enc1, x));
    const e = applyDense(g, this.enc2, h);
    const { latent } = this.config;
    const mu = g.slice(e, 1, 0, latent);
    const logvar = g.slice(e, 1, latent, 2 * latent);
    const z = rng ? g.reparameterize(mu, logvar, rng.derive('z')) : mu;
    const logits = applyDense(g, this.dec2, g.tanh(applyDense(g, this.dec1, z)));
    return { logits, mu, logvar };
  }

  /** Scores of every item for a batch of histories (no dropout, z = mu): [rows x items] logits. */
  score(kernels: Kernels, history: CsrMatrix): Float32Array {
    return this.forward(new Graph(kernels, { grad: false }), history).logits.data;
  }

  /** KL weight after `step` updates: min(betaCap, step / totalAnnealSteps). */
  beta(step: number): number {
    return Math.min(this.config.betaCap, step / this.config.totalAnnealSteps);
  }

  /** Training loss of a batch: mean multinomial NLL + beta * mean KL, as a [1 x 1] tensor. */
  loss(g: Graph, batch: CsrMatrix, step: number, rng: Rng): Tensor {
    const { logits, mu, logvar } = this.forward(g, batch, rng);
    const nll = g.mean(g.multinomialNll(logits, batch));
    const kl = g.mean(g.klDiagGaussian(mu, logvar));
    return g.add(nll, g.scale(kl, this.beta(step)));
  }
}
