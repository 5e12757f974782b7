import { GemmScratch, portableGemm } from './portable-gemm.js';
import { layerNormBackwardRows, layerNormRows } from './layernorm.js';
import { lseWeightedBackwardRows, lseWeightedRows } from './mixture.js';
import { topKRows } from './topk.js';
import type { AdamStep, GemmArgs, Kernels } from './types.js';
import { WasmGemm } from './wasm-gemm.js';
import { instantiateGemmKernel } from './wasm-module.js';

/** Which GEMM the portable provider runs: a WebAssembly SIMD micro-kernel, or plain JS where SIMD is missing. */
export type PortableGemm = 'wasm-simd' | 'js';

/**
 * The portable kernel provider: no native code, single-threaded, always available, and the reference the native
 * kernels are tested against. Its GEMM runs on a WebAssembly SIMD micro-kernel emitted by TypeScript (no compiler
 * involved) when the runtime supports SIMD, else on a register-tiled JS loop.
 */
export class PortableKernels implements Kernels {
  readonly provider = 'portable' as const;
  readonly threads = 1;
  readonly gemmKind: PortableGemm;
  private readonly scratch = new GemmScratch();
  private readonly wasm: WasmGemm | null;

  /** `gemm` forces a GEMM implementation (for tests); by default wasm-simd when available. */
  constructor(options: { gemm?: PortableGemm } = {}) {
    const kernel = options.gemm === 'js' ? null : instantiateGemmKernel();
    if (options.gemm === 'wasm-simd' && kernel === null) {
      throw new Error('portable kernels: WebAssembly SIMD is not available in this runtime');
    }
    this.wasm = kernel ? new WasmGemm(kernel) : null;
    this.gemmKind = this.wasm ? 'wasm-simd' : 'js';
  }

  gemm(...args: GemmArgs): void {
    if (this.wasm) this.wasm.gemm(...args);
    else portableGemm(this.scratch, ...args);
  }

  spmm(
    m: number,
    _k: number,
    n: number,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    b: Float32Array,
    beta: number,
    c: Float32Array,
  ): void {
    for (let r = 0; r < m; r++) {
      const co = r * n;
      for (let q = 0; q < n; q++) c[co + q] = beta === 0 ? 0 : beta * c[co + q];
      for (let p = indptr[r]; p < indptr[r + 1]; p++) {
        const v = values[p];
        if (v === 0) continue; // dropped-out entries stay in the pattern
        const bo = indices[p] * n;
        for (let q = 0; q < n; q++) c[co + q] += v * b[bo + q];
      }
    }
  }

  spmmT(
    m: number,
    _k: number,
    n: number,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    b: Float32Array,
    c: Float32Array,
  ): void {
    for (let r = 0; r < m; r++) {
      const bo = r * n;
      for (let p = indptr[r]; p < indptr[r + 1]; p++) {
        const v = values[p];
        if (v === 0) continue;
        const co = indices[p] * n;
        for (let q = 0; q < n; q++) c[co + q] += v * b[bo + q];
      }
    }
  }

  sddmm(
    m: number,
    _k: number,
    n: number,
    indptr: Int32Array,
    indices: Int32Array,
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
  ): void {
    for (let r = 0; r < m; r++) {
      const ao = r * n;
      for (let p = indptr[r]; p < indptr[r + 1]; p++) {
        const bo = indices[p] * n;
        let s = 0;
        for (let q = 0; q < n; q++) s += a[ao + q] * b[bo + q];
        out[p] = s;
      }
    }
  }

  addColSums(m: number, n: number, x: Float32Array, out: Float32Array): void {
    for (let r = 0; r < m; r++) {
      const o = r * n;
      for (let q = 0; q < n; q++) out[q] += x[o + q];
    }
  }

  exp(x: Float32Array, out: Float32Array): void {
    for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]);
  }

  log(x: Float32Array, out: Float32Array): void {
    for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]);
  }

  tanh(x: Float32Array, out: Float32Array): void {
    for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]);
  }

  sigmoid(x: Float32Array, out: Float32Array): void {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      out[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    }
  }

  softmaxNll(
    m: number,
    n: number,
    logits: Float32Array,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    probs: Float32Array,
    loss: Float32Array,
  ): void {
    for (let r = 0; r < m; r++) {
      const o = r * n;
      let dot = 0;
      let tot = 0;
      for (let p = indptr[r]; p < indptr[r + 1]; p++) {
        dot += values[p] * logits[o + indices[p]];
        tot += values[p];
      }
      let mx = -Infinity;
      for (let q = 0; q < n; q++) if (logits[o + q] > mx) mx = logits[o + q];
      let sum = 0;
      for (let q = 0; q < n; q++) {
        const e = Math.exp(logits[o + q] - mx);
        probs[o + q] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let q = 0; q < n; q++) probs[o + q] *= inv;
      loss[r] = tot * (mx + Math.log(sum)) - dot;
    }
  }

  softmaxNllBackward(
    m: number,
    n: number,
    probs: Float32Array,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    g: Float32Array,
    out: Float32Array,
  ): void {
    for (let r = 0; r < m; r++) {
      const o = r * n;
      let tot = 0;
      for (let p = indptr[r]; p < indptr[r + 1]; p++) tot += values[p];
      const s = g[r] * tot;
      for (let q = 0; q < n; q++) out[o + q] = s * probs[o + q];
      for (let p = indptr[r]; p < indptr[r + 1]; p++) out[o + indices[p]] -= g[r] * values[p];
    }
  }

  sparseGram(
    m: number,
    n: number,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    out: Float32Array,
  ): void {
    for (let u = 0; u < m; u++) {
      const p0 = indptr[u];
      const p1 = indptr[u + 1];
      for (let p = p0; p < p1; p++) {
        const row = indices[p] * n;
        const vi = values[p];
        for (let q = p0; q < p1; q++) out[row + indices[q]] += vi * values[q];
      }
    }
  }

  topK(...args: Parameters<Kernels['topK']>): void {
    topKRows(...args);
  }

  lseWeighted(
    K: number,
    m: number,
    n: number,
    logits: Float32Array[],
    weights: Float32Array[],
    out: Float32Array,
  ): void {
    lseWeightedRows(K, m, n, logits, weights, out);
  }

  lseWeightedBackward(...args: Parameters<Kernels['lseWeightedBackward']>): void {
    lseWeightedBackwardRows(...args);
  }

  layerNorm(...args: Parameters<Kernels['layerNorm']>): void {
    layerNormRows(...args);
  }

  layerNormBackward(...args: Parameters<Kernels['layerNormBackward']>): void {
    layerNormBackwardRows(...args);
  }

  adam(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, s: AdamStep): void {
    const step = s.lr / s.bc1;
    const invSqrtBc2 = 1 / Math.sqrt(s.bc2);
    const l2 = s.decoupled ? 0 : s.weightDecay;
    const shrink = s.decoupled ? 1 - s.lr * s.weightDecay : 1;
    for (let i = 0; i < param.length; i++) {
      const p = param[i];
      const g = grad[i] + l2 * p;
      const mi = s.beta1 * m[i] + (1 - s.beta1) * g;
      const vi = s.beta2 * v[i] + (1 - s.beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      param[i] = p * shrink - (step * mi) / (Math.sqrt(vi) * invSqrtBc2 + s.eps);
    }
  }
}
