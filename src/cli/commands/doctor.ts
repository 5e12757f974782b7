import type { Command } from 'commander';

import { runDoctor } from '../../system/doctor.js';
import { formatVersion } from '../../version.js';
import { keyValues, makeOutput } from '../output.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('report Node, kernel provider (and why), threads, CPU features and a one-second GEMM probe')
    .option('--json', 'print machine-readable JSON on stdout')
    .option('--probe-seconds <s>', 'length of the GEMM probe in seconds', '1')
    .action((opts: { json?: boolean; probeSeconds: string }) => {
      const out = makeOutput(Boolean(opts.json));
      const r = runDoctor(Number(opts.probeSeconds));
      const yes = (b: boolean) => (b ? 'yes' : 'no');
      out.result(r, () =>
        keyValues([
          ['node', `${r.node} (${r.platform})`],
          ['untangle', formatVersion(r.untangle)],
          ['kernels', `${r.kernels.provider}: ${r.kernels.reason}`],
          [
            'native addon',
            r.kernels.native.available
              ? `GEMM micro-kernel ${r.kernels.native.gemmKernel}, built with gcc ${r.kernels.native.compiler}` +
                (r.kernels.provider === 'native' ? '' : ' (available, not used)')
              : `unavailable: ${r.kernels.native.unavailable}`,
          ],
          [
            'portable gemm',
            `${r.kernels.portableGemm}${r.kernels.provider === 'portable' ? '' : ' (fallback, not used)'}`,
          ],
          ['threads', `${r.kernels.threads} (${r.kernels.threadsFrom})`],
          [
            'cpu',
            `${r.cpu.model}, ${r.cpu.logicalCpus} CPUs; ${Object.entries(r.cpu.features)
              .map(([k, v]) => `${k} ${yes(v)}`)
              .join(', ')} (from ${r.cpu.featuresFrom})`,
          ],
          [
            'gemm probe',
            `${r.gemmProbe.gflops.toFixed(1)} GFLOPS (${r.gemmProbe.shape}, ${r.gemmProbe.calls} calls in ${r.gemmProbe.seconds.toFixed(2)} s)`,
          ],
        ]),
      );
    });
}
