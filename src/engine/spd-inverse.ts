import type { Kernels } from './kernels/types.js';
import { invertLowerBlock } from './triangular.js';

/**
 * In-place inverse of a lower-triangular Cholesky factor and the product W^T W, blocked on GEMM (LAPACK's xTRTRI and
 * xLAUUM, lower variants). Together they turn L into (L L^T)^-1 with n^3 / 3 flops each and no second n x n
 * buffer: the route EASE needs for 20k-item Gram matrices. Both expect a row-major n x n matrix whose strict upper
 * triangle is zero (choleskyInPlace leaves it so).
 */
const NB = 256;

/** W <- W^-1 for the lower-triangular W held in the lower triangle of `a` [n x n]. */
export function invertLowerInPlace(kernels: Kernels, a: Float32Array, n: number): void {
  const last = Math.floor((n - 1) / NB) * NB;
  const tmp = new Float32Array(Math.max(0, n - NB) * NB);
  const tmp2 = new Float32Array(Math.max(0, n - NB) * NB);
  const diag = new Float32Array(NB * NB);
  for (let j = last; j >= 0; j -= NB) {
    const jb = Math.min(NB, n - j);
    const m = n - j - jb;
    invertLowerBlock(a, n, j * n + j, jb, diag);
    if (m > 0) {
      // A21 <- -inv(A22) A21 inv(A11); inv(A22) (rows/cols j+jb..) is already in place and lower triangular
      const a21 = (j + jb) * n + j;
      for (let r0 = 0; r0 < m; r0 += NB) {
        const rows = Math.min(NB, m - r0);
        // rows r0.. of inv(A22) times A21: only the first r0 + rows columns of inv(A22) are non-zero
        kernels.gemm(
          false,
          false,
          rows,
          jb,
          r0 + rows,
          1,
          a,
          (j + jb + r0) * n + j + jb,
          n,
          a,
          a21,
          n,
          0,
          tmp,
          r0 * jb,
          jb,
        );
      }
      kernels.gemm(false, false, m, jb, jb, -1, tmp, 0, jb, diag, 0, jb, 0, tmp2, 0, jb);
      for (let r = 0; r < m; r++) a.set(tmp2.subarray(r * jb, (r + 1) * jb), a21 + r * n);
    }
    for (let r = 0; r < jb; r++) a.set(diag.subarray(r * jb, r * jb + r + 1), (j + r) * n + j);
  }
}

/** Lower triangle of `a` <- W^T W for the lower-triangular W it holds; then the upper triangle is mirrored. */
export function lowerGramInPlace(kernels: Kernels, a: Float32Array, n: number): void {
  const t = new Float32Array(NB * n);
  for (let i = 0; i < n; i += NB) {
    const ib = Math.min(NB, n - i);
    const below = n - i - ib;
    // row block i, columns 0..i+ib: W11^T [W10 W11] (+ W21^T [W20 W21] from the rows below)
    kernels.gemm(true, false, ib, i + ib, ib, 1, a, i * n + i, n, a, i * n, n, 0, t, 0, i + ib);
    if (below > 0)
      kernels.gemm(true, false, ib, i + ib, below, 1, a, (i + ib) * n + i, n, a, (i + ib) * n, n, 1, t, 0, i + ib);
    for (let r = 0; r < ib; r++) a.set(t.subarray(r * (i + ib), r * (i + ib) + i + r + 1), (i + r) * n);
  }
  for (let r = 0; r < n; r++) for (let c = r + 1; c < n; c++) a[r * n + c] = a[c * n + r];
}
