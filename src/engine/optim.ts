import { z } from 'zod';

import type { Kernels } from './kernels/types.js';
import type { Tensor } from './tensor.js';

export const AdamConfig = z
  .object({
    lr: z.number().positive().default(1e-3).describe('learning rate'),
    beta1: z.number().min(0).lt(1).default(0.9).describe('decay of the first-moment estimate'),
    beta2: z.number().min(0).lt(1).default(0.999).describe('decay of the second-moment estimate'),
    eps: z.number().positive().default(1e-8).describe('added to the denominator for stability'),
    weightDecay: z.number().min(0).default(0).describe('weight decay coefficient'),
    decoupled: z
      .boolean()
      .default(false)
      .describe('true: AdamW (decay applied to the weights directly); false: L2 added to the gradient, as torch Adam'),
  })
  .strict();
export type AdamConfig = z.infer<typeof AdamConfig>;

/** Optimiser state that checkpoints save and restore. */
export interface AdamState {
  step: number;
  m: Float32Array[];
  v: Float32Array[];
}

/** Adam (Kingma & Ba 2015) over a fixed list of parameters, updating them in place with the provider's kernel. */
export class Adam {
  readonly config: AdamConfig;
  private readonly params: readonly Tensor[];
  private readonly kernels: Kernels;
  private t = 0;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];

  constructor(params: readonly Tensor[], kernels: Kernels, config: Partial<AdamConfig> = {}) {
    this.config = AdamConfig.parse(config);
    this.params = params;
    this.kernels = kernels;
    this.m = params.map((p) => new Float32Array(p.size));
    this.v = params.map((p) => new Float32Array(p.size));
  }

  /** Number of steps taken. */
  get stepCount(): number {
    return this.t;
  }

  /** One update of every parameter that received a gradient (parameters whose grad is null are skipped). */
  step(lr = this.config.lr): void {
    this.t++;
    const { beta1, beta2, eps, weightDecay, decoupled } = this.config;
    const hp = { lr, beta1, beta2, eps, weightDecay, decoupled, bc1: 1 - beta1 ** this.t, bc2: 1 - beta2 ** this.t };
    this.params.forEach((p, i) => {
      if (p.grad !== null) this.kernels.adam(p.data, p.grad, this.m[i], this.v[i], hp);
    });
  }

  /** Zeroes every parameter's gradient buffer (kept allocated for the next step). */
  zeroGrad(): void {
    for (const p of this.params) p.grad?.fill(0);
  }

  /** A copy of the moment estimates and step count. */
  getState(): AdamState {
    return { step: this.t, m: this.m.map((a) => a.slice()), v: this.v.map((a) => a.slice()) };
  }

  /** Restores a state from getState() of an optimiser over parameters of the same shapes. */
  setState(state: AdamState): void {
    if (state.m.length !== this.m.length || state.m.some((a, i) => a.length !== this.m[i].length)) {
      throw new RangeError('adam.setState: the state does not match these parameters');
    }
    this.t = state.step;
    state.m.forEach((a, i) => this.m[i].set(a));
    state.v.forEach((a, i) => this.v[i].set(a));
  }
}

export const SgdConfig = z
  .object({
    lr: z.number().positive().default(0.01).describe('learning rate'),
    momentum: z.number().min(0).lt(1).default(0).describe('heavy-ball momentum (0: plain SGD)'),
    weightDecay: z.number().min(0).default(0).describe('L2 coefficient added to the gradient'),
  })
  .strict();
export type SgdConfig = z.infer<typeof SgdConfig>;

/** Stochastic gradient descent with optional momentum, in place (torch.optim.SGD semantics). */
export class Sgd {
  readonly config: SgdConfig;
  private readonly params: readonly Tensor[];
  private readonly velocity: (Float32Array | null)[];

  constructor(params: readonly Tensor[], config: Partial<SgdConfig> = {}) {
    this.config = SgdConfig.parse(config);
    this.params = params;
    this.velocity = params.map(() => null);
  }

  step(lr = this.config.lr): void {
    const { momentum, weightDecay } = this.config;
    this.params.forEach((p, i) => {
      const g = p.grad;
      if (g === null) return;
      const w = p.data;
      if (momentum === 0) {
        for (let j = 0; j < w.length; j++) w[j] -= lr * (g[j] + weightDecay * w[j]);
        return;
      }
      let v = this.velocity[i];
      const first = v === null;
      if (v === null) v = this.velocity[i] = new Float32Array(w.length);
      for (let j = 0; j < w.length; j++) {
        const d = g[j] + weightDecay * w[j];
        v[j] = first ? d : momentum * v[j] + d;
        w[j] -= lr * v[j];
      }
    });
  }

  zeroGrad(): void {
    for (const p of this.params) p.grad?.fill(0);
  }
}
