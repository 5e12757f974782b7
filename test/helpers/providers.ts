import { NativeKernels, PortableKernels, loadNativeAddon, type Kernels } from '../../src/engine/index.js';

/** A kernel provider under test, named for test titles. */
export interface Provider {
  name: string;
  kernels: Kernels;
}

const load = loadNativeAddon();

/** True when the native addon is available. UNTANGLE_REQUIRE_NATIVE=1 (set by CI) makes its absence an error. */
export const hasNative = load.ok;
if (!load.ok && process.env.UNTANGLE_REQUIRE_NATIVE === '1') {
  throw new Error(`UNTANGLE_REQUIRE_NATIVE=1 but the native addon is unavailable: ${load.reason}`);
}

/** Why native tests are skipped, or false when they run. */
export const skipNative: string | false = load.ok ? false : `native kernels unavailable (${load.reason})`;

/** The native provider with a given thread count (throws if unavailable; guard with skipNative). */
export function native(threads: number): NativeKernels {
  if (!load.ok) throw new Error(load.reason);
  return new NativeKernels(load.addon, threads);
}

/**
 * Every provider to run engine tests under: portable (its default GEMM, WebAssembly SIMD where available, and its
 * plain-JS fallback GEMM), and native with 1 and 2 threads when built.
 */
export function providers(): Provider[] {
  const portable = new PortableKernels();
  const list: Provider[] = [{ name: `portable/${portable.gemmKind} gemm`, kernels: portable }];
  if (portable.gemmKind !== 'js') list.push({ name: 'portable/js gemm', kernels: new PortableKernels({ gemm: 'js' }) });
  if (load.ok) {
    list.push({ name: 'native/1 thread', kernels: native(1) });
    list.push({ name: 'native/2 threads', kernels: native(2) });
  }
  return list;
}
