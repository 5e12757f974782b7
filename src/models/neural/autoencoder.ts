import { z } from 'zod';

import { Graph } from '../../engine/autodiff/graph.js';
import type { CsrMatrix } from '../../engine/csr.js';
import type { Kernels } from '../../engine/kernels/types.js';
import type { Adam } from '../../engine/optim.js';
import type { Rng } from '../../engine/rng.js';
import type { Tensor } from '../../engine/tensor.js';
import { userBatchEpoch } from '../../train/epoch.js';
import { type EpochContext, type Trainable, TrainerConfig } from '../../train/trainable.js';
import { type Dense, denseLayer } from '../layers.js';
import { adamWithL2 } from './optimizers.js';

const shape = {
  dropout: z.number().min(0).lt(1).default(0.5).describe('dropout rate on the L2-normalised input'),
  l2: z.number().min(0).default(0).describe('L2 penalty l2 * sum(W^2) on the weights (not the biases)'),
};

/** The I-600-200-600-I shape shared by MultVAE, beta-VAE and AE. */
const deep = {
  hidden: z
    .array(z.number().int().positive())
    .default([600])
    .describe('encoder hidden widths; the decoder mirrors them'),
  latent: z.number().int().positive().default(200).describe('dimension of z'),
  ...shape,
};

export const MultDaeConfig = TrainerConfig.extend({
  latent: z.number().int().positive().default(200).describe('bottleneck width (I-200-I)'),
  ...shape,
  l2: shape.l2
    .default(0.01)
    .describe('L2 penalty l2 * sum(W^2) on the weights (Liang et al.: 0.01; 0 scored higher here)'),
}).strict();

export const MultVaeConfig = TrainerConfig.extend({
  ...deep,
  betaCap: z.number().min(0).default(0.2).describe('largest KL weight reached by the annealing'),
  totalAnnealSteps: z
    .number()
    .int()
    .positive()
    .default(200_000)
    .describe('updates over which beta grows linearly to betaCap'),
}).strict();

export const BetaVaeConfig = TrainerConfig.extend({
  ...deep,
  beta: z
    .number()
    .min(0)
    .default(0.2)
    .describe('constant KL weight (no annealing), as the beta-VAE baseline of Dervishaj et al.'),
}).strict();

export const AeConfig = TrainerConfig.extend({
  ...deep,
  latent: deep.latent.describe('dimension of the (deterministic, linear) code'),
}).strict();

export type AutoencoderKind = 'multdae' | 'multvae' | 'betavae' | 'ae';
type AnyConfig =
  | z.infer<typeof MultVaeConfig>
  | z.infer<typeof BetaVaeConfig>
  | z.infer<typeof AeConfig>
  | z.infer<typeof MultDaeConfig>;

/**
 * The Mult-* autoencoder family of Liang et al. 2018 on one implementation: x is L2-normalised and dropped out, then
 * encoded through tanh layers; MultVAE / beta-VAE output (mu, log sigma^2) and sample z, MultDAE has a tanh
 * bottleneck, AE a linear one; the decoder mirrors the encoder and its logits enter the multinomial likelihood.
 * Loss: NLL + beta * KL (beta annealed for MultVAE, constant for beta-VAE, absent otherwise) + l2 * sum(W^2).
 */
export class AutoencoderNet implements Trainable {
  readonly kind: AutoencoderKind;
  readonly config: AnyConfig;
  readonly items: number;
  private readonly enc: Dense[];
  private readonly dec: Dense[];
  private opts: Record<string, Adam> | null = null;

  constructor(kind: AutoencoderKind, config: AnyConfig, items: number, rng: Rng) {
    this.kind = kind;
    this.config = config;
    this.items = items;
    const hidden = 'hidden' in config ? config.hidden : [];
    const variational = kind === 'multvae' || kind === 'betavae';
    const encDims = [items, ...hidden, variational ? 2 * config.latent : config.latent];
    const decDims = [config.latent, ...[...hidden].reverse(), items];
    this.enc = encDims.slice(1).map((d, i) => denseLayer(encDims[i], d, rng.derive('init', 'enc', i)));
    this.dec = decDims.slice(1).map((d, i) => denseLayer(decDims[i], d, rng.derive('init', 'dec', i)));
  }

  get variational(): boolean {
    return this.kind === 'multvae' || this.kind === 'betavae';
  }

  parameters(): [string, Tensor][] {
    const named = (prefix: string, layers: Dense[]) =>
      layers.flatMap((l, i): [string, Tensor][] => [
        [`${prefix}.${i}.w`, l.w],
        [`${prefix}.${i}.b`, l.b],
      ]);
    return [...named('enc', this.enc), ...named('dec', this.dec)];
  }

  optimizers(kernels: Kernels): Record<string, Adam> {
    this.opts ??= adamWithL2(this.parameters(), kernels, this.config.lr, this.config.l2);
    return this.opts;
  }

  /** The bottleneck: z (mu for the VAEs) and, for the VAEs, log sigma^2. With rng: dropout and sampling. */
  encode(g: Graph, batch: CsrMatrix, rng?: Rng): { z: Tensor; mu: Tensor; logvar: Tensor | null } {
    let x = g.sparseRowNormalize(g.sparse(batch));
    if (rng) x = g.sparseDropout(x, this.config.dropout, rng.derive('dropout'));
    let h = g.linearSparse(x, this.enc[0].w, this.enc[0].b);
    for (let i = 1; i < this.enc.length; i++) h = g.linear(g.tanh(h), this.enc[i].w, this.enc[i].b);
    if (this.kind === 'multdae') h = g.tanh(h);
    if (!this.variational) return { z: h, mu: h, logvar: null };
    const { latent } = this.config;
    const mu = g.slice(h, 1, 0, latent);
    const logvar = g.slice(h, 1, latent, 2 * latent);
    return { z: rng ? g.reparameterize(mu, logvar, rng.derive('z')) : mu, mu, logvar };
  }

  private decode(g: Graph, z: Tensor): Tensor {
    let h = z;
    this.dec.forEach((l, i) => {
      h = g.linear(i === 0 ? h : g.tanh(h), l.w, l.b);
    });
    return h;
  }

  /** KL weight after `step` updates. */
  beta(step: number): number {
    const c = this.config;
    if ('betaCap' in c) return Math.min(c.betaCap, step / c.totalAnnealSteps);
    if ('beta' in c) return c.beta;
    return 0;
  }

  loss(g: Graph, batch: CsrMatrix, step: number, rng: Rng): Tensor {
    const { z, mu, logvar } = this.encode(g, batch, rng);
    const nll = g.mean(g.multinomialNll(this.decode(g, z), batch));
    if (!logvar) return nll;
    return g.add(nll, g.scale(g.mean(g.klDiagGaussian(mu, logvar)), this.beta(step)));
  }

  trainEpoch(ctx: EpochContext): { loss: number; step: number } {
    return userBatchEpoch(this, ctx, Object.values(this.optimizers(ctx.kernels)), this.config.batchSize);
  }

  score(kernels: Kernels, history: CsrMatrix): Float32Array {
    const g = new Graph(kernels, { grad: false });
    return this.decode(g, this.encode(g, history).z).data;
  }

  /** User codes (mu for the VAEs, the bottleneck otherwise): [rows x latent]. */
  codes(kernels: Kernels, history: CsrMatrix): Float32Array {
    return this.encode(new Graph(kernels, { grad: false }), history).mu.data;
  }
}
