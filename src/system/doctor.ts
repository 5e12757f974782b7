import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';

import { PortableKernels } from '../engine/kernels/portable.js';
import { selectKernels } from '../engine/kernels/select.js';
import type { Kernels } from '../engine/kernels/types.js';
import { Rng } from '../engine/rng.js';
import { type CodeVersion, codeVersion } from '../version.js';

/** Everything `untangle doctor` reports. */
export interface DoctorReport {
  node: string;
  platform: string;
  untangle: CodeVersion;
  kernels: {
    provider: string;
    reason: string;
    threads: number;
    threadsFrom: string;
    /** The portable provider's GEMM: WebAssembly SIMD micro-kernel, or plain JS where SIMD is missing. */
    portableGemm: string;
    /** The native addon: whether it loaded (used or not), its GEMM micro-kernel, or why it is unavailable. */
    native: { available: boolean; gemmKernel?: string; compiler?: string; unavailable?: string };
  };
  cpu: { model: string; logicalCpus: number; features: Record<string, boolean>; featuresFrom: string };
  gemmProbe: { gflops: number; shape: string; calls: number; seconds: number };
}

/** Collects the environment report and runs the GEMM probe for about `probeSeconds`. */
export function runDoctor(probeSeconds = 1): DoctorReport {
  const choice = selectKernels();
  const { kernels } = choice;
  const threadsEnv = process.env.UNTANGLE_THREADS;
  const features = choice.native?.cpu ?? cpuFlagsFromProc();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    untangle: codeVersion(),
    kernels: {
      provider: kernels.provider,
      reason: choice.reason,
      threads: kernels.threads,
      threadsFrom:
        kernels.provider === 'portable'
          ? 'portable kernels are single-threaded'
          : threadsEnv
            ? `UNTANGLE_THREADS=${threadsEnv}`
            : `all ${availableParallelism()} available CPUs (set UNTANGLE_THREADS to change)`,
      portableGemm: new PortableKernels().gemmKind,
      native: choice.native
        ? { available: true, gemmKernel: choice.native.gemmKernel, compiler: choice.native.compiler }
        : { available: false, unavailable: choice.nativeUnavailable },
    },
    cpu: {
      model: cpus()[0]?.model ?? 'unknown',
      logicalCpus: availableParallelism(),
      features: Object.fromEntries(Object.entries(features).map(([k, v]) => [k, Boolean(v)])),
      featuresFrom: choice.native ? 'native addon (cpuid)' : '/proc/cpuinfo',
    },
    gemmProbe: gemmProbe(kernels, probeSeconds),
  };
}

/** Repeats a 768^3 GEMM for about `seconds` and reports the achieved GFLOPS. */
export function gemmProbe(kernels: Kernels, seconds: number): DoctorReport['gemmProbe'] {
  const n = 768;
  const rng = Rng.seeded(0).derive('doctor');
  const a = rng.fillUniform(new Float32Array(n * n));
  const b = rng.fillUniform(new Float32Array(n * n));
  const c = new Float32Array(n * n);
  kernels.gemm(false, false, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n); // warm-up
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    kernels.gemm(false, false, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n);
    calls++;
    elapsed = (performance.now() - start) / 1000;
  } while (elapsed < seconds);
  return { gflops: (2 * n ** 3 * calls) / elapsed / 1e9, shape: `${n}x${n}x${n}`, calls, seconds: elapsed };
}

function cpuFlagsFromProc(): Record<string, boolean> {
  if (!existsSync('/proc/cpuinfo')) return {};
  const line = readFileSync('/proc/cpuinfo', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('flags'));
  const flags = new Set((line ?? '').split(':')[1]?.trim().split(/\s+/) ?? []);
  return { avx2: flags.has('avx2'), fma: flags.has('fma'), avx512f: flags.has('avx512f') };
}
