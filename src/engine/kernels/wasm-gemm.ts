import { packA, packB, scaleC } from './pack.js';
import type { GemmArgs } from './types.js';
import { WASM_MR as MR, WASM_NR as NR, type WasmGemmKernel } from './wasm-module.js';

const KC = 256;
const MC = 128;
/** Column panel width: wide, so A is packed few times, but the C panel (mPad x NC) stays <= 4M floats. */
const NC_MAX = 8192;
const C_PANEL_FLOATS = 4 << 20;
const PAGE = 65536;

const roundUp = (x: number, m: number): number => Math.ceil(x / m) * m;

/**
 * Row-major SGEMM on the WebAssembly SIMD micro-kernel (see wasm-module.ts), single-threaded. Operands are packed by
 * JS straight into the module's memory; each NC-wide column panel of C is accumulated there over all KC slices and
 * then merged into C once with alpha and beta. About 30-37 GFLOPS on one Zen 3 core.
 */
export class WasmGemm {
  private readonly kernel: WasmGemmKernel;

  constructor(kernel: WasmGemmKernel) {
    this.kernel = kernel;
  }

  gemm(...args: GemmArgs): void {
    const [transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc] = args;
    if (m === 0 || n === 0) return;
    if (k === 0 || alpha === 0) {
      scaleC(m, n, beta, c, cOff, ldc);
      return;
    }
    // memory layout (floats): [A block MC x KC][B panel KC x NC][C panel mPad x NC]
    const mPad = roundUp(m, MR);
    const NC = Math.min(roundUp(n, NR), NC_MAX, Math.max(512, Math.floor(C_PANEL_FLOATS / mPad / NR) * NR));
    const aBase = 0;
    const bBase = MC * KC;
    const cBase = bBase + KC * NC;
    const mem = this.ensure((cBase + mPad * NC) * 4);
    const { block } = this.kernel;
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      const ncPad = roundUp(nc, NR);
      const kStep = Math.ceil(k / Math.ceil(k / KC)); // equal K slices: no short tail slice
      for (let pc = 0; pc < k; pc += kStep) {
        const kc = Math.min(kStep, k - pc);
        packB(transB, b, bOff, ldb, pc, kc, jc, nc, NR, mem, bBase);
        const accumulate = pc > 0 ? 1 : 0;
        for (let ic = 0; ic < m; ic += MC) {
          const mcPad = roundUp(Math.min(MC, m - ic), MR);
          packA(transA, a, aOff, lda, ic, Math.min(MC, m - ic), pc, kc, MR, mem, aBase);
          block(aBase * 4, bBase * 4, (cBase + ic * ncPad) * 4, mcPad / MR, ncPad / NR, kc, ncPad * 4, accumulate);
        }
      }
      for (let i = 0; i < m; i++) {
        const src = cBase + i * ncPad;
        const dst = cOff + i * ldc + jc;
        if (beta === 0) for (let j = 0; j < nc; j++) c[dst + j] = alpha * mem[src + j];
        else for (let j = 0; j < nc; j++) c[dst + j] = alpha * mem[src + j] + beta * c[dst + j];
      }
    }
  }

  /** A float view of the module memory, grown to at least `bytes`. */
  private ensure(bytes: number): Float32Array {
    const { memory } = this.kernel;
    if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
    return new Float32Array(memory.buffer);
  }
}
