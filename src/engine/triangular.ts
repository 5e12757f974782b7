/**
 * The inverse of the nb x nb lower-triangular block of `a` (row stride lda) whose top-left entry is at `offset`,
 * written to out (row-major nb x nb, strict upper triangle zero); accumulates in float64. Small blocks only: the
 * panels of the blocked Cholesky, solve and inverse, and CholeskyQR's R.
 */
export function invertLowerBlock(a: Float32Array, lda: number, offset: number, nb: number, out: Float32Array): void {
  out.fill(0, 0, nb * nb);
  for (let c = 0; c < nb; c++) {
    out[c * nb + c] = 1 / a[offset + c * lda + c];
    for (let r = c + 1; r < nb; r++) {
      let s = 0;
      for (let p = c; p < r; p++) s += a[offset + r * lda + p] * out[p * nb + c];
      out[r * nb + c] = -s / a[offset + r * lda + r];
    }
  }
}
