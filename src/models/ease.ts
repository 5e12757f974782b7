import { z } from 'zod';

import type { CsrMatrix } from '../engine/csr.js';
import type { Kernels } from '../engine/kernels/types.js';
import { spdInverse } from '../engine/linalg.js';
import { Tensor } from '../engine/tensor.js';
import type { FitContext, ModelState, Recommender } from './model.js';

export const EaseConfig = z
  .object({
    lambda: z
      .number()
      .positive()
      .default(500)
      .describe('L2 weight on the item-item matrix B (Steck 2019 used 500 on ML-20M; tune on validation)'),
  })
  .strict();
export type EaseConfig = z.infer<typeof EaseConfig>;

/**
 * EASE (Steck 2019): the item-item weights B minimising ||X - X B||^2 + lambda ||B||^2 with diag(B) = 0, in closed
 * form B = I - P diagMat(1 / diag(P)), P = (X^T X + lambda I)^-1. The Gram matrix comes from the sparse Gram kernel
 * and the inverse from the engine's blocked Cholesky. Scores are X_u B.
 */
export class Ease implements Recommender {
  readonly name = 'ease';
  readonly config: EaseConfig;
  readonly items: number;
  private b: Float32Array | null;

  constructor(config: EaseConfig, items: number, state?: ModelState) {
    this.config = config;
    this.items = items;
    this.b = (state?.tensors.B?.data as Float32Array | undefined) ?? null;
  }

  fit(train: CsrMatrix, ctx: FitContext): void {
    const n = this.items;
    const { kernels } = ctx;
    ctx.onEvent?.({ kind: 'stage', stage: 'gram', detail: `${n} x ${n} item Gram matrix` });
    const g = new Tensor(n, n);
    kernels.sparseGram(train.rows, n, train.indptr, train.indices, train.values, g.data);
    for (let i = 0; i < n; i++) g.data[i * n + i] += this.config.lambda;
    ctx.onEvent?.({ kind: 'stage', stage: 'inverse', detail: 'Cholesky inverse' });
    const p = spdInverse(kernels, g, { inPlace: true }).data;
    for (let j = 0; j < n; j++) {
      const d = p[j * n + j];
      for (let i = 0; i < n; i++) p[i * n + j] = i === j ? 0 : -p[i * n + j] / d;
    }
    this.b = p;
  }

  score(history: CsrMatrix, kernels: Kernels): Float32Array {
    const b = this.fitted();
    const out = new Float32Array(history.rows * this.items);
    kernels.spmm(history.rows, this.items, this.items, history.indptr, history.indices, history.values, b, 0, out);
    return out;
  }

  state(): ModelState {
    return { tensors: { B: { data: this.fitted(), shape: [this.items, this.items] } } };
  }

  private fitted(): Float32Array {
    if (!this.b) throw new Error('ease: fit() first');
    return this.b;
  }
}
