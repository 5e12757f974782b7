import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { packageRoot } from '../../paths.js';
import type { AdamStep, Kernels } from './types.js';

/** What the addon reports about itself and the CPU. */
export interface NativeInfo {
  gemmKernel: string;
  compiler?: string;
  maxThreads: number;
  cpu: { avx2?: boolean; fma?: boolean; avx512f?: boolean };
}

/** A kernel signature with the addon's trailing thread-count argument. */
type WithThreads<F> = F extends (...args: infer A) => void ? (...args: [...A, threads: number]) => void : never;

/** Kernels whose addon entry point takes the same arguments plus a thread count. */
type Forwarded = Exclude<keyof Kernels, 'provider' | 'threads' | 'adam'>;

/** The raw addon surface (native/addon.c). */
export type NativeAddon = { [K in Forwarded]: WithThreads<Kernels[K]> } & {
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
};

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

  gemm = (...args: Parameters<Kernels['gemm']>): void => this.addon.gemm(...args, this.threads);
  spmm = (...args: Parameters<Kernels['spmm']>): void => this.addon.spmm(...args, this.threads);
  spmmT = (...args: Parameters<Kernels['spmmT']>): void => this.addon.spmmT(...args, this.threads);
  sddmm = (...args: Parameters<Kernels['sddmm']>): void => this.addon.sddmm(...args, this.threads);
  addColSums = (...args: Parameters<Kernels['addColSums']>): void => this.addon.addColSums(...args, this.threads);
  exp = (...args: Parameters<Kernels['exp']>): void => this.addon.exp(...args, this.threads);
  tanh = (...args: Parameters<Kernels['tanh']>): void => this.addon.tanh(...args, this.threads);
  log = (...args: Parameters<Kernels['log']>): void => this.addon.log(...args, this.threads);
  sigmoid = (...args: Parameters<Kernels['sigmoid']>): void => this.addon.sigmoid(...args, this.threads);
  softmaxNll = (...args: Parameters<Kernels['softmaxNll']>): void => this.addon.softmaxNll(...args, this.threads);
  softmaxNllBackward = (...args: Parameters<Kernels['softmaxNllBackward']>): void =>
    this.addon.softmaxNllBackward(...args, this.threads);
  topK = (...args: Parameters<Kernels['topK']>): void => this.addon.topK(...args, this.threads);
  lseWeighted = (...args: Parameters<Kernels['lseWeighted']>): void => this.addon.lseWeighted(...args, this.threads);
  lseWeightedBackward = (...args: Parameters<Kernels['lseWeightedBackward']>): void =>
    this.addon.lseWeightedBackward(...args, this.threads);
  sparseGram = (...args: Parameters<Kernels['sparseGram']>): void => this.addon.sparseGram(...args, this.threads);
  layerNorm = (...args: Parameters<Kernels['layerNorm']>): void => this.addon.layerNorm(...args, this.threads);
  layerNormBackward = (...args: Parameters<Kernels['layerNormBackward']>): void =>
    this.addon.layerNormBackward(...args, this.threads);

  adam(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, s: AdamStep): void {
    const { lr, beta1, beta2, eps, weightDecay, decoupled, bc1, bc2 } = s;
    this.addon.adam(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, bc1, bc2, this.threads);
  }
}
