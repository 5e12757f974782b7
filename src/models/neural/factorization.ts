import { z } from 'zod';

import { Graph } from '../../engine/autodiff/graph.js';
import type { CsrMatrix } from '../../engine/csr.js';
import type { Kernels } from '../../engine/kernels/types.js';
import { spdInverse } from '../../engine/linalg.js';
import { Adam } from '../../engine/optim.js';
import type { Rng } from '../../engine/rng.js';
import { Tensor } from '../../engine/tensor.js';
import { type EpochContext, type Trainable, TrainerConfig } from '../../train/trainable.js';

const factors = {
  factors: z.number().int().positive().default(64).describe('dimension of the user and item factors'),
  reg: z.number().min(0).default(0.01).describe('L2 weight on the factors (and biases) touched by each example'),
  foldInReg: z.number().positive().default(1).describe('ridge weight when folding in a user vector from a history'),
};

export const MfConfig = TrainerConfig.extend({
  ...factors,
  reg: factors.reg.default(0.1),
  foldInReg: factors.foldInReg.default(5),
  batchSize: TrainerConfig.shape.batchSize.default(1024).describe('ratings per update'),
  lr: TrainerConfig.shape.lr.default(0.005),
  epochs: TrainerConfig.shape.epochs.default(50),
  patience: TrainerConfig.shape.patience.default(5),
}).strict();

export const BprConfig = TrainerConfig.extend({
  ...factors,
  loss: z
    .enum(['bpr', 'triplet'])
    .default('bpr')
    .describe('bpr: -log sigmoid(x_ui - x_uj); triplet: max(0, margin - x_ui + x_uj)'),
  margin: z.number().positive().default(1).describe('margin of the triplet loss'),
  batchSize: TrainerConfig.shape.batchSize.default(1024).describe('(user, positive, negative) triplets per update'),
  lr: TrainerConfig.shape.lr.default(0.005),
  epochs: TrainerConfig.shape.epochs.default(50),
  patience: TrainerConfig.shape.patience.default(5),
}).strict();

export type MfConfig = z.infer<typeof MfConfig>;
export type BprConfig = z.infer<typeof BprConfig>;

/**
 * Matrix factorisation on explicit ratings: r_ui ~ mu + b_u + b_i + p_u . q_i, trained by minibatch Adam on the
 * squared error with L2 on the touched factors (the "MF with MSE" of the recommender-systems course material); with
 * `loss` BPR or triplet, the implicit-feedback variant: x_ui = p_u . q_i + b_i, one uniformly sampled unobserved item
 * j per positive (Rendle et al. 2009). Held-out users (strong generalisation) get their vector by ridge regression on
 * the fixed item factors, so any history can be scored: p_u = (Q^T Q + lambda I)^-1 Q^T y_u.
 */
export class FactorizationNet implements Trainable {
  readonly kind: 'mf' | 'bpr';
  readonly config: MfConfig | BprConfig;
  readonly items: number;
  readonly users: number;
  readonly p: Tensor;
  readonly q: Tensor;
  readonly bu: Tensor;
  readonly bi: Tensor;
  /** global mean rating (MF) */
  readonly mu: Tensor;
  private opt: Adam | null = null;

  constructor(kind: 'mf' | 'bpr', config: MfConfig | BprConfig, items: number, users: number, rng: Rng) {
    this.kind = kind;
    this.config = config;
    this.items = items;
    this.users = users;
    const d = config.factors;
    this.p = Tensor.param(users, d, rng.derive('init', 'p').fillNormal(new Float32Array(users * d), 0, 0.1));
    this.q = Tensor.param(items, d, rng.derive('init', 'q').fillNormal(new Float32Array(items * d), 0, 0.1));
    this.bu = Tensor.param(users, 1);
    this.bi = Tensor.param(items, 1);
    this.mu = new Tensor(1, 1);
  }

  parameters(): [string, Tensor][] {
    return [
      ['users.w', this.p],
      ['items.w', this.q],
      ['users.b', this.bu],
      ['items.b', this.bi],
      ['mean.b', this.mu],
    ];
  }

  optimizers(kernels: Kernels): Record<string, Adam> {
    this.opt ??= new Adam([this.p, this.q, this.bu, this.bi], kernels, { lr: this.config.lr });
    return { all: this.opt };
  }

  trainEpoch(ctx: EpochContext): { loss: number; step: number } {
    const { data, kernels } = ctx;
    if (this.kind === 'mf' && ctx.epoch === 0 && ctx.step === 0) this.mu.data[0] = meanValue(data);
    const opt = this.optimizers(kernels).all;
    const rowOf = new Int32Array(data.nnz);
    for (let u = 0; u < data.rows; u++) rowOf.fill(u, data.indptr[u], data.indptr[u + 1]);
    const order = ctx.rng.derive('order', ctx.epoch).permutation(data.nnz);
    const B = this.config.batchSize;
    let step = ctx.step;
    let total = 0;
    let batches = 0;
    for (let s = 0; s < order.length; s += B) {
      const idx = order.subarray(s, s + B);
      const users = Int32Array.from(idx, (p) => rowOf[p]);
      const pos = Int32Array.from(idx, (p) => data.indices[p]);
      const g = new Graph(kernels, { pool: ctx.pool });
      const loss =
        this.kind === 'mf'
          ? this.mseLoss(
              g,
              users,
              pos,
              Float32Array.from(idx, (p) => data.values[p]),
            )
          : this.rankingLoss(g, users, pos, negatives(data, users, ctx.rng.derive('negatives', step)));
      g.backward(loss);
      total += loss.item();
      g.release();
      opt.step();
      opt.zeroGrad();
      step++;
      batches++;
    }
    return { loss: total / Math.max(batches, 1), step };
  }

  private l2(g: Graph, ...parts: Tensor[]): Tensor {
    const terms = parts.map((t) => g.sum(g.square(t)));
    return g.scale(
      terms.reduce((a, b) => g.add(a, b)),
      this.config.reg / parts[0].rows,
    );
  }

  private mseLoss(g: Graph, users: Int32Array, items: Int32Array, ratings: Float32Array): Tensor {
    const pu = g.gatherRows(this.p, users);
    const qi = g.gatherRows(this.q, items);
    const bu = g.gatherRows(this.bu, users);
    const bi = g.gatherRows(this.bi, items);
    const pred = g.add(g.add(g.sum(g.mul(pu, qi), 1), g.add(bu, bi)), this.mu);
    const err = g.sub(pred, new Tensor(ratings.length, 1, ratings));
    return g.add(g.mean(g.square(err)), this.l2(g, pu, qi, bu, bi));
  }

  private rankingLoss(g: Graph, users: Int32Array, pos: Int32Array, neg: Int32Array): Tensor {
    const pu = g.gatherRows(this.p, users);
    const qi = g.gatherRows(this.q, pos);
    const qj = g.gatherRows(this.q, neg);
    const bi = g.gatherRows(this.bi, pos);
    const bj = g.gatherRows(this.bi, neg);
    const diff = g.add(g.sub(g.sum(g.mul(pu, qi), 1), g.sum(g.mul(pu, qj), 1)), g.sub(bi, bj));
    const c = this.config as BprConfig;
    const data = c.loss === 'bpr' ? g.softplus(g.scale(diff, -1)) : g.relu(g.addScalar(g.scale(diff, -1), c.margin));
    return g.add(g.mean(data), this.l2(g, pu, qi, qj));
  }

  /** Folded-in user vectors (and biases for MF) for a batch of histories: [rows x factors]. */
  codes(kernels: Kernels, history: CsrMatrix): Float32Array {
    return this.foldIn(kernels, history).p;
  }

  private foldIn(kernels: Kernels, history: CsrMatrix): { p: Float32Array; b: Float32Array } {
    const d = this.config.factors;
    const n = this.items;
    const lambda = this.config.foldInReg;
    const p = new Float32Array(history.rows * d);
    const b = new Float32Array(history.rows);
    if (this.kind === 'bpr') {
      // implicit: least squares against the full 0/1 history, p = (Q^T Q + lambda I)^-1 Q^T x
      const gram = new Tensor(d, d);
      kernels.gemm(true, false, d, d, n, 1, this.q.data, 0, d, this.q.data, 0, d, 0, gram.data, 0, d);
      for (let j = 0; j < d; j++) gram.data[j * d + j] += lambda;
      const inv = spdInverse(kernels, gram).data;
      const xq = new Float32Array(history.rows * d);
      kernels.spmm(history.rows, n, d, history.indptr, history.indices, history.values, this.q.data, 0, xq);
      kernels.gemm(false, false, history.rows, d, d, 1, xq, 0, d, inv, 0, d, 0, p, 0, d);
      return { p, b };
    }
    // explicit: per user ridge regression on the rated items only, with features [q_i, 1] and target r - mu - b_i
    const e = d + 1;
    for (let r = 0; r < history.rows; r++) {
      const a = new Tensor(e, e);
      const y = new Tensor(e, 1);
      for (let k = history.indptr[r]; k < history.indptr[r + 1]; k++) {
        const i = history.indices[k];
        const target = history.values[k] - this.mu.data[0] - this.bi.data[i];
        for (let s = 0; s < e; s++) {
          const fs = s < d ? this.q.data[i * d + s] : 1;
          y.data[s] += fs * target;
          for (let t = 0; t < e; t++) a.data[s * e + t] += fs * (t < d ? this.q.data[i * d + t] : 1);
        }
      }
      for (let s = 0; s < e; s++) a.data[s * e + s] += lambda;
      const w = spdInverse(kernels, a).data;
      for (let s = 0; s < e; s++) {
        let v = 0;
        for (let t = 0; t < e; t++) v += w[s * e + t] * y.data[t];
        if (s < d) p[r * d + s] = v;
        else b[r] = v;
      }
    }
    return { p, b };
  }

  score(kernels: Kernels, history: CsrMatrix): Float32Array {
    const d = this.config.factors;
    const n = this.items;
    const { p, b } = this.foldIn(kernels, history);
    const out = new Float32Array(history.rows * n);
    kernels.gemm(false, true, history.rows, n, d, 1, p, 0, d, this.q.data, 0, d, 0, out, 0, n);
    for (let r = 0; r < history.rows; r++) {
      const base = this.mu.data[0] + b[r];
      for (let i = 0; i < n; i++) out[r * n + i] += base + this.bi.data[i];
    }
    return out;
  }
}

function meanValue(m: CsrMatrix): number {
  let s = 0;
  for (let p = 0; p < m.nnz; p++) s += m.values[p];
  return m.nnz ? s / m.nnz : 0;
}

/** One uniformly drawn item per example that the user has not interacted with (rejection sampling). */
function negatives(data: CsrMatrix, users: Int32Array, rng: Rng): Int32Array {
  return Int32Array.from(users, (u) => {
    const row = data.indices.subarray(data.indptr[u], data.indptr[u + 1]);
    for (let tries = 0; tries < 50; tries++) {
      const j = rng.int(data.cols);
      if (!binarySearch(row, j)) return j;
    }
    return rng.int(data.cols);
  });
}

function binarySearch(sorted: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === x) return true;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
