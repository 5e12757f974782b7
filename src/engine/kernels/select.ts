import { availableParallelism } from 'node:os';

import { ConfigError } from '../../errors.js';
import { KernelError } from '../errors.js';
import { NativeKernels, loadNativeAddon, type NativeInfo } from './native.js';
import { PortableKernels } from './portable.js';
import type { Kernels, ProviderName } from './types.js';

/** The chosen provider and why it was chosen (shown by `untangle doctor`). */
export interface KernelChoice {
  kernels: Kernels;
  reason: string;
  /** Present when the native addon loaded. */
  native?: NativeInfo;
  /** Why the native addon is unavailable, when it is. */
  nativeUnavailable?: string;
}

const PROVIDERS: readonly ProviderName[] = ['native', 'portable'];

/**
 * Picks the kernel provider: UNTANGLE_KERNELS=native|portable forces one (native throws KernelError if the addon is
 * missing); unset, native is used when it loads and portable otherwise. UNTANGLE_THREADS sets the native thread
 * count (default: the number of CPUs available to this process).
 */
export function selectKernels(env: NodeJS.ProcessEnv = process.env): KernelChoice {
  const forced = env.UNTANGLE_KERNELS?.trim();
  if (forced && !PROVIDERS.includes(forced as ProviderName)) {
    throw new ConfigError(`UNTANGLE_KERNELS=${forced} is not a provider; valid: ${PROVIDERS.join(', ')}`);
  }
  const threads = parseThreads(env.UNTANGLE_THREADS);
  if (forced === 'portable') {
    const load = loadNativeAddon();
    return {
      kernels: new PortableKernels(),
      reason: 'forced by UNTANGLE_KERNELS=portable',
      ...(load.ok ? { native: load.addon.info() } : { nativeUnavailable: load.reason }),
    };
  }
  const load = loadNativeAddon();
  if (load.ok) {
    const reason = forced === 'native' ? 'forced by UNTANGLE_KERNELS=native' : 'native addon loaded';
    return { kernels: new NativeKernels(load.addon, threads), reason, native: load.addon.info() };
  }
  if (forced === 'native') {
    throw new KernelError(`UNTANGLE_KERNELS=native but ${load.reason}`);
  }
  return {
    kernels: new PortableKernels(),
    reason: `portable fallback: ${load.reason}`,
    nativeUnavailable: load.reason,
  };
}

function parseThreads(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return Math.max(1, availableParallelism());
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new ConfigError(`UNTANGLE_THREADS=${raw} must be an integer from 1 to 64`);
  }
  return n;
}
