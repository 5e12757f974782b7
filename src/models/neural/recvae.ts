import { z } from 'zod';

import { Graph } from '../../engine/autodiff/graph.js';
import type { CsrMatrix } from '../../engine/csr.js';
import type { Kernels } from '../../engine/kernels/types.js';
import { Adam } from '../../engine/optim.js';
import type { Rng } from '../../engine/rng.js';
import { Tensor } from '../../engine/tensor.js';
import { trainEpoch } from '../../train/epoch.js';
import { type EpochContext, type Trainable, TrainerConfig } from '../../train/trainable.js';
import { type Dense, denseLayer } from '../layers.js';

export const RecVaeConfig = TrainerConfig.extend({
  hidden: z.number().int().positive().default(600).describe('width of the five encoder layers'),
  latent: z.number().int().positive().default(200).describe('dimension of z'),
  gamma: z.number().min(0).default(0.005).describe('KL weight per interaction: beta_u = gamma * |x_u|'),
  dropout: z.number().min(0).lt(1).default(0.5).describe('input dropout during encoder updates'),
  encoderPasses: z.number().int().positive().default(3).describe('passes of encoder updates per epoch'),
  decoderPasses: z.number().int().positive().default(1).describe('passes of decoder updates per epoch'),
  mixture: z
    .tuple([z.number().min(0), z.number().min(0), z.number().min(0)])
    .default([3 / 20, 3 / 4, 1 / 10])
    .describe('weights of the composite prior: N(0, I), the previous posterior, N(0, e^10 I)'),
  layerNormEps: z
    .number()
    .positive()
    .default(0.1)
    .describe('epsilon of the layer normalisations (0.1 as the original code)'),
  lr: TrainerConfig.shape.lr.default(5e-4),
  epochs: TrainerConfig.shape.epochs.default(50),
}).strict();
export type RecVaeConfig = z.infer<typeof RecVaeConfig>;

interface EncoderParams {
  fc: Dense[];
  ln: { g: Tensor; b: Tensor }[];
  mu: Dense;
  logvar: Dense;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * RecVAE (Shenbin et al., WSDM 2020): a five-layer densely connected encoder (each layer swish then layer norm on the
 * sum of its input and all earlier layers), a linear decoder, the composite prior
 * p(z) = w1 N(0, I) + w2 q_old(z | x) + w3 N(0, e^10 I) whose middle term is the posterior of the encoder as it was
 * at the previous epoch, a KL weight rescaled by history length (gamma |x_u|), and alternating updates: encoder
 * passes (with input dropout), then the old encoder is refreshed, then decoder passes (no dropout).
 */
export class RecVaeNet implements Trainable {
  readonly config: RecVaeConfig;
  readonly items: number;
  private readonly enc: EncoderParams;
  /** the encoder of the previous epoch, for the composite prior (frozen) */
  private readonly old: EncoderParams;
  private readonly dec: Dense;
  private opts: { encoder: Adam; decoder: Adam } | null = null;

  constructor(config: RecVaeConfig, items: number, rng: Rng) {
    this.config = config;
    this.items = items;
    const make = (key: string): EncoderParams => {
      const h = config.hidden;
      return {
        fc: [items, h, h, h, h].map((d, i) => denseLayer(d, h, rng.derive('init', key, 'fc', i))),
        ln: Array.from({ length: 5 }, () => ({
          g: Tensor.param(1, h, new Float32Array(h).fill(1)),
          b: Tensor.param(1, h),
        })),
        mu: denseLayer(h, config.latent, rng.derive('init', key, 'mu')),
        logvar: denseLayer(h, config.latent, rng.derive('init', key, 'logvar')),
      };
    };
    this.enc = make('enc');
    this.old = make('old');
    this.copyEncoder();
    this.dec = denseLayer(config.latent, items, rng.derive('init', 'dec'));
  }

  private static named(prefix: string, e: EncoderParams): [string, Tensor][] {
    return [
      ...e.fc.flatMap((l, i): [string, Tensor][] => [
        [`${prefix}.fc${i}.w`, l.w],
        [`${prefix}.fc${i}.b`, l.b],
      ]),
      ...e.ln.flatMap((l, i): [string, Tensor][] => [
        [`${prefix}.ln${i}.g`, l.g],
        [`${prefix}.ln${i}.b`, l.b],
      ]),
      [`${prefix}.mu.w`, e.mu.w],
      [`${prefix}.mu.b`, e.mu.b],
      [`${prefix}.logvar.w`, e.logvar.w],
      [`${prefix}.logvar.b`, e.logvar.b],
    ];
  }

  parameters(): [string, Tensor][] {
    return [
      ...RecVaeNet.named('enc', this.enc),
      ['dec.w', this.dec.w],
      ['dec.b', this.dec.b],
      ...RecVaeNet.named('old', this.old),
    ];
  }

  optimizers(kernels: Kernels): Record<string, Adam> {
    this.opts ??= {
      encoder: new Adam(
        RecVaeNet.named('enc', this.enc).map(([, p]) => p),
        kernels,
        { lr: this.config.lr },
      ),
      decoder: new Adam([this.dec.w, this.dec.b], kernels, { lr: this.config.lr }),
    };
    return this.opts;
  }

  private copyEncoder(): void {
    const src = RecVaeNet.named('enc', this.enc);
    RecVaeNet.named('old', this.old).forEach(([, p], i) => p.data.set(src[i][1].data));
  }

  /** mu and log sigma^2 of q(z | x) under the given encoder; dropout on the normalised input when rng is given. */
  private encode(
    g: Graph,
    e: EncoderParams,
    batch: CsrMatrix,
    dropout: number,
    rng?: Rng,
  ): { mu: Tensor; logvar: Tensor } {
    let x = g.sparseRowNormalize(g.sparse(batch));
    if (rng && dropout > 0) x = g.sparseDropout(x, dropout, rng.derive('dropout'));
    const eps = this.config.layerNormEps;
    // dense connections: layer i sees fc_i(h_{i-1}) + h_0 + ... + h_{i-1}, the running sum fused into the GEMM
    let h = g.layerNorm(g.swish(g.linearSparse(x, e.fc[0].w, e.fc[0].b)), e.ln[0].g, e.ln[0].b, eps);
    let sum = h;
    for (let i = 1; i < 5; i++) {
      h = g.layerNorm(g.swish(g.linear(h, e.fc[i].w, e.fc[i].b, sum)), e.ln[i].g, e.ln[i].b, eps);
      if (i < 4) sum = g.add(sum, h);
    }
    return { mu: g.linear(h, e.mu.w, e.mu.b), logvar: g.linear(h, e.logvar.w, e.logvar.b) };
  }

  /** log N(z; mu, exp(logvar)) elementwise. */
  private static logNormal(g: Graph, z: Tensor, mu: Tensor | null, logvar: Tensor | number): Tensor {
    const d = mu ? g.sub(z, mu) : z;
    if (typeof logvar === 'number')
      return g.addScalar(g.scale(g.square(d), -0.5 * Math.exp(-logvar)), -0.5 * (logvar + LOG_2PI));
    const quad = g.mul(g.square(d), g.exp(g.scale(logvar, -1)));
    return g.scale(g.addScalar(g.add(logvar, quad), LOG_2PI), -0.5);
  }

  /**
   * The negative ELBO of a batch. Only the half being updated is tracked: the other half's parameters enter as
   * constants (the encoder runs in a gradient-free graph, the decoder through detached views), so no gradient is
   * computed that the step would throw away.
   */
  private loss(g: Graph, batch: CsrMatrix, rng: Rng, half: 'encoder' | 'decoder'): Tensor {
    const trainEncoder = half === 'encoder';
    const encoderGraph = trainEncoder ? g : new Graph(g.kernels, { grad: false });
    const { mu, logvar } = this.encode(encoderGraph, this.enc, batch, trainEncoder ? this.config.dropout : 0, rng);
    const z = g.reparameterize(mu, logvar, rng.derive('z'));
    const [w, b] = trainEncoder ? [this.dec.w.detachedView(), this.dec.b.detachedView()] : [this.dec.w, this.dec.b];
    const logits = g.linear(z, w, b);
    const nll = g.multinomialNll(logits, batch); // [rows x 1]
    // composite prior, with the old encoder's posterior (no gradient)
    const frozen = new Graph(g.kernels, { grad: false });
    const oldPost = this.encode(frozen, this.old, batch, 0);
    const [w1, w2, w3] = this.config.mixture;
    const weight = (w: number) => new Tensor(1, this.config.latent, new Float32Array(this.config.latent).fill(w));
    const logPrior = g.logSumExpWeighted(
      [
        RecVaeNet.logNormal(g, z, null, 0),
        RecVaeNet.logNormal(g, z, oldPost.mu, oldPost.logvar),
        RecVaeNet.logNormal(g, z, null, 10),
      ],
      [weight(w1), weight(w2), weight(w3)],
    );
    const kl = g.sum(g.sub(RecVaeNet.logNormal(g, z, mu, logvar), logPrior), 1); // [rows x 1], a one-sample estimate
    const lengths = new Float32Array(batch.rows);
    for (let r = 0; r < batch.rows; r++) {
      for (let p = batch.indptr[r]; p < batch.indptr[r + 1]; p++) lengths[r] += batch.values[p];
      lengths[r] *= this.config.gamma;
    }
    return g.mean(g.add(nll, g.mul(kl, new Tensor(batch.rows, 1, lengths))));
  }

  trainEpoch(ctx: EpochContext): { loss: number; step: number } {
    const opts = this.optimizers(ctx.kernels);
    const c = this.config;
    let step = ctx.step;
    let last = 0;
    const pass = (opt: Adam, half: 'encoder' | 'decoder', i: number) => {
      const model = { loss: (g: Graph, batch: CsrMatrix, _s: number, rng: Rng) => this.loss(g, batch, rng, half) };
      const r = trainEpoch(model, ctx.data, [opt], ctx.kernels, ctx.rng.derive(half, i), {
        epoch: ctx.epoch,
        step,
        batchSize: c.batchSize,
        pool: ctx.pool,
      });
      step = r.step;
      last = r.meanLoss;
    };
    for (let i = 0; i < c.encoderPasses; i++) pass(opts.encoder, 'encoder', i);
    this.copyEncoder();
    for (let i = 0; i < c.decoderPasses; i++) pass(opts.decoder, 'decoder', i);
    return { loss: last, step };
  }

  score(kernels: Kernels, history: CsrMatrix): Float32Array {
    const g = new Graph(kernels, { grad: false });
    return g.linear(this.encode(g, this.enc, history, 0).mu, this.dec.w, this.dec.b).data;
  }

  /** User codes: mu of q(z | x), [rows x latent]. */
  codes(kernels: Kernels, history: CsrMatrix): Float32Array {
    return this.encode(new Graph(kernels, { grad: false }), this.enc, history, 0).mu.data;
  }
}
