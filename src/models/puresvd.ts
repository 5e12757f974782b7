import { z } from 'zod';

import type { CsrMatrix } from '../engine/csr.js';
import { orthonormalizeColumns, symmetricEigen } from '../engine/decompositions.js';
import type { Kernels } from '../engine/kernels/types.js';
import { Tensor } from '../engine/tensor.js';
import type { FitContext, ModelState, Recommender } from './model.js';

export const PureSvdConfig = z
  .object({
    factors: z.number().int().positive().default(100).describe('rank k of the truncated SVD'),
    oversample: z.number().int().min(0).default(10).describe('extra random directions of the randomised SVD'),
    powerIterations: z
      .number()
      .int()
      .min(0)
      .default(4)
      .describe('subspace iterations (accuracy of the top singular vectors)'),
  })
  .strict();
export type PureSvdConfig = z.infer<typeof PureSvdConfig>;

/**
 * PureSVD (Cremonesi et al. 2010): the rank-k truncated SVD X ~ U S V^T of the training matrix, computed by
 * randomised subspace iteration (Halko et al. 2011) with CholeskyQR2 orthonormalisation; a history x scores x V V^T.
 * The user code is x V (k numbers).
 */
export class PureSvd implements Recommender {
  readonly name = 'puresvd';
  readonly config: PureSvdConfig;
  readonly items: number;
  private v: Float32Array | null; // [items x k]
  private rank: number;

  constructor(config: PureSvdConfig, items: number, state?: ModelState) {
    this.config = config;
    this.items = items;
    this.v = (state?.tensors.V?.data as Float32Array | undefined) ?? null;
    this.rank = state?.tensors.V?.shape[1] ?? 0;
  }

  fit(x: CsrMatrix, ctx: FitContext): void {
    const { kernels, rng } = ctx;
    const n = this.items;
    const l = Math.min(this.config.factors + this.config.oversample, n, x.rows);
    const k = Math.min(this.config.factors, l);
    const omega = rng.derive('omega').fillNormal(new Float32Array(n * l));
    const y = new Tensor(x.rows, l);
    const z = new Tensor(n, l);
    kernels.spmm(x.rows, n, l, x.indptr, x.indices, x.values, omega, 0, y.data);
    orthonormalizeColumns(kernels, y);
    for (let q = 0; q < this.config.powerIterations; q++) {
      ctx.onEvent?.({ kind: 'stage', stage: 'power-iteration', detail: `${q + 1} of ${this.config.powerIterations}` });
      z.data.fill(0);
      kernels.spmmT(x.rows, n, l, x.indptr, x.indices, x.values, y.data, z.data);
      orthonormalizeColumns(kernels, z);
      kernels.spmm(x.rows, n, l, x.indptr, x.indices, x.values, z.data, 0, y.data);
      orthonormalizeColumns(kernels, y);
    }
    // B^T = X^T Q [n x l]; eigen-decompose B B^T = (B^T)^T B^T [l x l]
    z.data.fill(0);
    kernels.spmmT(x.rows, n, l, x.indptr, x.indices, x.values, y.data, z.data);
    const c = new Float32Array(l * l);
    kernels.gemm(true, false, l, l, n, 1, z.data, 0, l, z.data, 0, l, 0, c, 0, l);
    const { values, vectors } = symmetricEigen(c, l);
    // V = B^T U_k S_k^-1
    const u = new Float32Array(l * k);
    for (let i = 0; i < l; i++) {
      for (let j = 0; j < k; j++) u[i * k + j] = vectors[i * l + j] / Math.sqrt(Math.max(values[j], 1e-12));
    }
    const v = new Float32Array(n * k);
    kernels.gemm(false, false, n, k, l, 1, z.data, 0, l, u, 0, k, 0, v, 0, k);
    this.v = v;
    this.rank = k;
  }

  /** User codes x V: [history.rows x k]. */
  encode(history: CsrMatrix, kernels: Kernels): Float32Array {
    const v = this.fitted();
    const out = new Float32Array(history.rows * this.rank);
    kernels.spmm(history.rows, this.items, this.rank, history.indptr, history.indices, history.values, v, 0, out);
    return out;
  }

  score(history: CsrMatrix, kernels: Kernels): Float32Array {
    const codes = this.encode(history, kernels);
    const out = new Float32Array(history.rows * this.items);
    kernels.gemm(
      false,
      true,
      history.rows,
      this.items,
      this.rank,
      1,
      codes,
      0,
      this.rank,
      this.fitted(),
      0,
      this.rank,
      0,
      out,
      0,
      this.items,
    );
    return out;
  }

  state(): ModelState {
    return { tensors: { V: { data: this.fitted(), shape: [this.items, this.rank] } } };
  }

  private fitted(): Float32Array {
    if (!this.v) throw new Error('puresvd: fit() first');
    return this.v;
  }
}
