import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { packageRoot } from '../../paths.js';
import type { AdamStep, GemmArgs, Kernels } from './types.js';

/** What the addon reports about itself and the CPU. */
export interface NativeInfo {
  gemmKernel: string;
  compiler?: string;
  maxThreads: number;
  cpu: { avx2?: boolean; fma?: boolean; avx512f?: boolean };
}

/** The raw addon surface (native/addon.c). */
export interface NativeAddon {
  gemm(...args: [...GemmArgs, threads: number]): void;
  spmm(
    m: number,
    k: number,
    n: number,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    b: Float32Array,
    beta: number,
    c: Float32Array,
    threads: number,
  ): void;
  spmmT(
    m: number,
    k: number,
    n: number,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    b: Float32Array,
    c: Float32Array,
    threads: number,
  ): void;
  sddmm(
    m: number,
    k: number,
    n: number,
    indptr: Int32Array,
    indices: Int32Array,
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    threads: number,
  ): void;
  addColSums(m: number, n: number, x: Float32Array, out: Float32Array, threads: number): void;
  exp(x: Float32Array, out: Float32Array, threads: number): void;
  tanh(x: Float32Array, out: Float32Array, threads: number): void;
  sigmoid(x: Float32Array, out: Float32Array, threads: number): void;
  softmaxNll(
    m: number,
    n: number,
    logits: Float32Array,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    probs: Float32Array,
    loss: Float32Array,
    threads: number,
  ): void;
  softmaxNllBackward(
    m: number,
    n: number,
    probs: Float32Array,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    g: Float32Array,
    out: Float32Array,
    threads: number,
  ): void;
  adam(
    param: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    v: Float32Array,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    wd: number,
    decoupled: boolean,
    bc1: number,
    bc2: number,
    threads: number,
  ): void;
  info(): NativeInfo;
  forceGemmKernel(family: string): boolean;
}

/** Result of trying to load the addon: the addon, or why it is missing (with the install-time build status). */
export type NativeLoad = { ok: true; addon: NativeAddon; path: string } | { ok: false; reason: string };

/** Loads build/Release/untangle_kernels.node under `root` (default: this package) if it was built at install time. */
export function loadNativeAddon(root = packageRoot()): NativeLoad {
  const path = join(root, 'build', 'Release', 'untangle_kernels.node');
  if (!existsSync(path)) {
    return { ok: false, reason: `native addon not built (${buildStatus(root)})` };
  }
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    return { ok: true, addon, path };
  } catch (err) {
    return { ok: false, reason: `native addon failed to load: ${(err as Error).message}` };
  }
}

function buildStatus(root: string): string {
  const file = join(root, 'build', 'native-status.json');
  if (!existsSync(file)) return 'no build was attempted: reinstall with `npm ci` and a C compiler';
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as { ok: boolean; reason?: string };
    return s.ok ? 'the build reported success but the file is missing' : `install-time build failed: ${s.reason}`;
  } catch {
    return 'unreadable build status file';
  }
}

/** The native provider: the addon's kernels with a fixed thread count. */
export class NativeKernels implements Kernels {
  readonly provider = 'native' as const;
  readonly threads: number;
  readonly addon: NativeAddon;

  constructor(addon: NativeAddon, threads: number) {
    this.addon = addon;
    this.threads = threads;
  }

  gemm(...args: GemmArgs): void {
    this.addon.gemm(...args, this.threads);
  }

  spmm(
    m: number,
    k: number,
    n: number,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    b: Float32Array,
    beta: number,
    c: Float32Array,
  ): void {
    this.addon.spmm(m, k, n, indptr, indices, values, b, beta, c, this.threads);
  }

  spmmT(
    m: number,
    k: number,
    n: number,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    b: Float32Array,
    c: Float32Array,
  ): void {
    this.addon.spmmT(m, k, n, indptr, indices, values, b, c, this.threads);
  }

  sddmm(
    m: number,
    k: number,
    n: number,
    indptr: Int32Array,
    indices: Int32Array,
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
  ): void {
    this.addon.sddmm(m, k, n, indptr, indices, a, b, out, this.threads);
  }

  addColSums(m: number, n: number, x: Float32Array, out: Float32Array): void {
    this.addon.addColSums(m, n, x, out, this.threads);
  }

  exp(x: Float32Array, out: Float32Array): void {
    this.addon.exp(x, out, this.threads);
  }

  tanh(x: Float32Array, out: Float32Array): void {
    this.addon.tanh(x, out, this.threads);
  }

  sigmoid(x: Float32Array, out: Float32Array): void {
    this.addon.sigmoid(x, out, this.threads);
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
    this.addon.softmaxNll(m, n, logits, indptr, indices, values, probs, loss, this.threads);
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
    this.addon.softmaxNllBackward(m, n, probs, indptr, indices, values, g, out, this.threads);
  }

  adam(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, s: AdamStep): void {
    this.addon.adam(
      param,
      grad,
      m,
      v,
      s.lr,
      s.beta1,
      s.beta2,
      s.eps,
      s.weightDecay,
      s.decoupled,
      s.bc1,
      s.bc2,
      this.threads,
    );
  }
}
