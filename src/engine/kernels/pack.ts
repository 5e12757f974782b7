/**
 * GEMM operand packing shared by the portable GEMMs: op(A) blocks into k-major MR-row strips and op(B) blocks into
 * k-major NR-column strips, zero-padded, so every transpose combination feeds the same micro-kernel. Panels are
 * always Float32Array so these loops stay monomorphic in V8.
 */
/** op(A)[i0 .. i0+mc, p0 .. p0+kc] (A row-major, stride lda, from aOff) into out[outOff ..] as MR-row strips. */
export function packA(
  trans: boolean,
  a: Float32Array,
  aOff: number,
  lda: number,
  i0: number,
  mc: number,
  p0: number,
  kc: number,
  mr: number,
  out: Float32Array,
  outOff: number,
): void {
  for (let s = 0; s < mc; s += mr) {
    const rows = Math.min(mr, mc - s);
    const base = outOff + s * kc;
    for (let i = 0; i < mr; i++) {
      if (i >= rows) {
        for (let p = 0; p < kc; p++) out[base + p * mr + i] = 0;
      } else if (trans) {
        let src = aOff + p0 * lda + i0 + s + i;
        for (let p = 0; p < kc; p++, src += lda) out[base + p * mr + i] = a[src];
      } else {
        const src = aOff + (i0 + s + i) * lda + p0;
        for (let p = 0; p < kc; p++) out[base + p * mr + i] = a[src + p];
      }
    }
  }
}

/** op(B)[p0 .. p0+kc, j0 .. j0+nc] (B row-major, stride ldb, from bOff) into out[outOff ..] as NR-column strips. */
export function packB(
  trans: boolean,
  b: Float32Array,
  bOff: number,
  ldb: number,
  p0: number,
  kc: number,
  j0: number,
  nc: number,
  nr: number,
  out: Float32Array,
  outOff: number,
): void {
  for (let s = 0; s < nc; s += nr) {
    const cols = Math.min(nr, nc - s);
    const base = outOff + s * kc;
    for (let j = 0; j < nr; j++) {
      if (j >= cols) {
        for (let p = 0; p < kc; p++) out[base + p * nr + j] = 0;
      } else if (trans) {
        const src = bOff + (j0 + s + j) * ldb + p0;
        for (let p = 0; p < kc; p++) out[base + p * nr + j] = b[src + p];
      } else {
        let src = bOff + p0 * ldb + j0 + s + j;
        for (let p = 0; p < kc; p++, src += ldb) out[base + p * nr + j] = b[src];
      }
    }
  }
}

/** C[m x n] (stride ldc, from cOff) *= beta, writing 0 when beta is 0 (C is then never read). */
export function scaleC(m: number, n: number, beta: number, c: Float32Array, cOff: number, ldc: number): void {
  for (let i = 0; i < m; i++) {
    const o = cOff + i * ldc;
    for (let j = 0; j < n; j++) c[o + j] = beta === 0 ? 0 : beta * c[o + j];
  }
}
