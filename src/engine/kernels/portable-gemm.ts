/**
 * Pure-TypeScript packed GEMM: the portable provider's fallback where WebAssembly SIMD is unavailable (written here
 * because no npm package offers a row-major float32 GEMM with transposes faster than a register-tiled JS loop). Same
 * algorithm as the native one (Goto / BLIS): op(A) and op(B) are packed into panels and every transpose combination
 * runs the same 4x4 register-tiled loop (accumulating in doubles, as V8 computes).
 * About 3.5-4 GFLOPS on one Zen 3 core.
 */
import { packA, packB, scaleC } from './pack.js';
import type { GemmArgs } from './types.js';

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 2048;

/** Reusable packing buffers, owned by one portable provider instance. */
export class GemmScratch {
  readonly a = new Float32Array(MC * KC);
  readonly b = new Float32Array(KC * NC);
}

/** Row-major C = alpha * op(A) op(B) + beta * C (see Kernels.gemm). */
export function portableGemm(scratch: GemmScratch, ...args: GemmArgs): void {
  const [transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc] = args;
  if (m === 0 || n === 0) return;
  if (k === 0 || alpha === 0) {
    scaleC(m, n, beta, c, cOff, ldc);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      const betaEff = pc === 0 ? beta : 1;
      packB(transB, b, bOff, ldb, pc, kc, jc, nc, NR, scratch.b, 0);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(transA, a, aOff, lda, ic, mc, pc, kc, MR, scratch.a, 0);
        macroKernel(scratch.a, scratch.b, mc, nc, kc, alpha, betaEff, c, cOff + ic * ldc + jc, ldc);
      }
    }
  }
}

function macroKernel(
  ap: Float32Array,
  bp: Float32Array,
  mc: number,
  nc: number,
  kc: number,
  alpha: number,
  beta: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nn = Math.min(NR, nc - jr);
    for (let ir = 0; ir < mc; ir += MR) {
      const mm = Math.min(MR, mc - ir);
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0; // prettier-ignore
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0; // prettier-ignore
      let ao = ir * kc;
      let bo = jr * kc;
      for (let p = 0; p < kc; p++, ao += MR, bo += NR) {
        const b0 = bp[bo], b1 = bp[bo + 1], b2 = bp[bo + 2], b3 = bp[bo + 3]; // prettier-ignore
        const a0 = ap[ao], a1 = ap[ao + 1], a2 = ap[ao + 2], a3 = ap[ao + 3]; // prettier-ignore
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3; // prettier-ignore
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3; // prettier-ignore
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3; // prettier-ignore
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3; // prettier-ignore
      }
      const o = cOff + ir * ldc + jr;
      if (mm === MR && nn === NR) {
        store4(c, o, alpha, beta, c00, c01, c02, c03);
        store4(c, o + ldc, alpha, beta, c10, c11, c12, c13);
        store4(c, o + 2 * ldc, alpha, beta, c20, c21, c22, c23);
        store4(c, o + 3 * ldc, alpha, beta, c30, c31, c32, c33);
      } else {
        const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
        for (let i = 0; i < mm; i++) {
          for (let j = 0; j < nn; j++) {
            const q = o + i * ldc + j;
            c[q] = beta === 0 ? alpha * tile[i * NR + j] : alpha * tile[i * NR + j] + beta * c[q];
          }
        }
      }
    }
  }
}

function store4(
  c: Float32Array,
  o: number,
  alpha: number,
  beta: number,
  x0: number,
  x1: number,
  x2: number,
  x3: number,
): void {
  if (beta === 0) {
    c[o] = alpha * x0;
    c[o + 1] = alpha * x1;
    c[o + 2] = alpha * x2;
    c[o + 3] = alpha * x3;
  } else {
    c[o] = alpha * x0 + beta * c[o];
    c[o + 1] = alpha * x1 + beta * c[o + 1];
    c[o + 2] = alpha * x2 + beta * c[o + 2];
    c[o + 3] = alpha * x3 + beta * c[o + 3];
  }
}
