import { z } from 'zod';

import type { CsrMatrix } from '../engine/csr.js';
import type { FitContext, ModelState, Recommender } from './model.js';

export const ItemKnnConfig = z
  .object({
    neighbors: z.number().int().positive().max(1024).default(100).describe('most similar items kept per item'),
    shrink: z.number().min(0).default(0).describe('cosine shrinkage: sim = x_i . x_j / (|x_i| |x_j| + shrink)'),
  })
  .strict();
export type ItemKnnConfig = z.infer<typeof ItemKnnConfig>;

/**
 * Item-based k-nearest neighbours with cosine similarity between item columns; each item keeps its `neighbors` most
 * similar items (a sparse [items x neighbors] table). A history x scores item j by sum_i x_i sim(i, j).
 */
export class ItemKnn implements Recommender {
  readonly name = 'itemknn';
  readonly config: ItemKnnConfig;
  readonly items: number;
  private nbr: Int32Array; // [items x K], -1 padded
  private sim: Float32Array; // [items x K]

  constructor(config: ItemKnnConfig, items: number, state?: ModelState) {
    this.config = config;
    this.items = items;
    this.nbr = (state?.tensors.neighbors?.data as Int32Array | undefined) ?? new Int32Array(0);
    this.sim = (state?.tensors.similarity?.data as Float32Array | undefined) ?? new Float32Array(0);
  }

  fit(train: CsrMatrix, ctx: FitContext): void {
    const n = this.items;
    const K = Math.min(this.config.neighbors, Math.max(1, n - 1));
    const { kernels } = ctx;
    ctx.onEvent?.({ kind: 'stage', stage: 'gram', detail: `${n} x ${n} co-occurrences` });
    const g = new Float32Array(n * n);
    kernels.sparseGram(train.rows, n, train.indptr, train.indices, train.values, g);
    const norm = Float64Array.from({ length: n }, (_, i) => Math.sqrt(g[i * n + i]));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const d = norm[i] * norm[j] + this.config.shrink;
        g[i * n + j] = d > 0 ? g[i * n + j] / d : 0;
      }
    }
    // each item's K best neighbours, itself excluded
    const exPtr = Int32Array.from({ length: n + 1 }, (_, i) => i);
    const exIdx = Int32Array.from({ length: n }, (_, i) => i);
    this.nbr = new Int32Array(n * K);
    kernels.topK(n, n, g, exPtr, exIdx, K, this.nbr);
    this.sim = new Float32Array(n * K);
    for (let i = 0; i < n; i++) {
      for (let q = 0; q < K; q++) {
        const j = this.nbr[i * K + q];
        this.sim[i * K + q] = j >= 0 ? g[i * n + j] : 0;
      }
    }
  }

  score(history: CsrMatrix): Float32Array {
    const n = this.items;
    const K = this.sim.length / Math.max(n, 1);
    const out = new Float32Array(history.rows * n);
    for (let r = 0; r < history.rows; r++) {
      const o = r * n;
      for (let p = history.indptr[r]; p < history.indptr[r + 1]; p++) {
        const i = history.indices[p];
        const v = history.values[p];
        for (let q = 0; q < K; q++) {
          const j = this.nbr[i * K + q];
          if (j >= 0) out[o + j] += v * this.sim[i * K + q];
        }
      }
    }
    return out;
  }

  state(): ModelState {
    const K = this.sim.length / Math.max(this.items, 1);
    return {
      tensors: {
        neighbors: { data: this.nbr, shape: [this.items, K] },
        similarity: { data: this.sim, shape: [this.items, K] },
      },
    };
  }
}
