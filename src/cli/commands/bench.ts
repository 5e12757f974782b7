import type { Command } from 'commander';

import { benchDataSplit, benchEase, benchEval } from '../../bench/baselines.js';
import { benchMeasure } from '../../bench/measure.js';
import { benchModelEpoch } from '../../bench/models.js';
import { type BenchRecord, ENGINE_BENCHES, type EngineBench, runEngineBench } from '../../bench/engine.js';
import { selectKernels } from '../../engine/kernels/select.js';
import { ConfigError } from '../../errors.js';
import { makeOutput } from '../output.js';
import { parseInteger } from '../parse.js';

const line = (r: BenchRecord) => {
  const extra = typeof r.gflops === 'number' ? `  ${r.gflops.toFixed(1)} GFLOPS` : '';
  const rss = typeof r.peak_rss_mb === 'number' ? `  peak RSS ${r.peak_rss_mb.toFixed(0)} MiB` : '';
  const scaled = r.scaled ? ` (scaled from ${r.measured_batches} of ${r.batches_per_epoch} batches)` : '';
  return `${r.name.padEnd(34)} median ${r.median_s.toFixed(4)} s over ${r.runs} run(s)${extra}${rss}${scaled}`;
};

export function registerBench(program: Command): void {
  const bench = program.command('bench').description('performance benchmarks (results as JSON lines with --json)');
  bench
    .command('eval')
    .description('full-rank top-100 evaluation of 10,000 users x 20,108 items from given scores')
    .option('--json', 'print one JSON object per result line on stdout')
    .option('--runs <n>', 'timed repetitions', '3')
    .action((opts: { json?: boolean; runs: string }) => {
      const out = makeOutput(Boolean(opts.json));
      const { kernels } = selectKernels();
      const r = benchEval(kernels, parseInteger('--runs', opts.runs, 1));
      out.result(r, () => line(r));
    });
  bench
    .command('measure')
    .description('seconds to measure one model at ML-1M size with every measure (real ML-1M with --data-dir)')
    .option('--data-dir <dir>', 'folder holding ML-1M (else synthetic data of ML-1M shape, 18 genres)')
    .option('--dims <n>', 'code width (PureSVD factors; 200 = Mult-VAE)', '200')
    .option('--runs <n>', 'timed measurements', '1')
    .option('--json', 'print one JSON object per result line on stdout')
    .action((opts: { dataDir?: string; dims: string; runs: string; json?: boolean }) => {
      const out = makeOutput(Boolean(opts.json));
      const { kernels } = selectKernels();
      const r = benchMeasure(kernels, {
        dataDir: opts.dataDir,
        dims: parseInteger('--dims', opts.dims, 1),
        runs: parseInteger('--runs', opts.runs, 1),
      });
      const stages = Object.entries(r.stages as Record<string, number>)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(', ');
      out.result(
        r,
        () => `${line(r)}
  ${r.users} users, ${r.factors} factors; seconds by stage: ${stages}`,
      );
    });
  bench
    .command('models')
    .description('seconds per training epoch of the neural models at ML-1M shape (synthetic data, batch 500)')
    .option('--only <list>', 'comma-separated models', 'multdae,multvae,betavae,ae,macridvae,recvae')
    .option('--runs <n>', 'timed epochs per model', '3')
    .option('--json', 'print one JSON object per result line on stdout')
    .action((opts: { only: string; runs: string; json?: boolean }) => {
      const out = makeOutput(Boolean(opts.json));
      const { kernels } = selectKernels();
      for (const model of opts.only.split(',').map((s) => s.trim())) {
        const r = benchModelEpoch(kernels, model, parseInteger('--runs', opts.runs, 1));
        out.result(r, () => line(r));
      }
    });
  bench
    .command('data')
    .description('load + preprocess + strong split of a MovieLens copy read from --data-dir')
    .requiredOption('--data-dir <dir>', 'folder holding ml-100k/ (and ml-1m/)')
    .option('--only <list>', 'comma-separated subset of: ml-100k, ml-1m', 'ml-100k,ml-1m')
    .option('--runs <n>', 'timed repetitions', '5')
    .option('--json', 'print one JSON object per result line on stdout')
    .action((opts: { dataDir: string; only: string; runs: string; json?: boolean }) => {
      const out = makeOutput(Boolean(opts.json));
      for (const ds of opts.only.split(',').map((s) => s.trim())) {
        if (ds !== 'ml-100k' && ds !== 'ml-1m')
          throw new ConfigError(`--only: unknown dataset "${ds}"; valid: ml-100k, ml-1m`);
        const r = benchDataSplit(opts.dataDir, ds, parseInteger('--runs', opts.runs, 1));
        out.result(r, () => line(r));
      }
    });
  bench
    .command('ease')
    .description('EASE fit time on synthetic data of ML-1M shape (3,706 items) and ML-20M shape (20,108 items)')
    .option('--json', 'print one JSON object per result line on stdout')
    .option('--only <list>', 'comma-separated subset of: ml-1m, ml-20m', 'ml-1m,ml-20m')
    .option('--runs <n>', 'timed repetitions per shape', '1')
    .action((opts: { json?: boolean; runs: string; only: string }) => {
      const out = makeOutput(Boolean(opts.json));
      const { kernels } = selectKernels();
      for (const shape of opts.only.split(',').map((s) => s.trim())) {
        if (shape !== 'ml-1m' && shape !== 'ml-20m')
          throw new ConfigError(`--only: unknown shape "${shape}"; valid: ml-1m, ml-20m`);
        const r = benchEase(kernels, shape, parseInteger('--runs', opts.runs, 1));
        out.result(r, () => line(r));
      }
    });
  bench
    .command('engine')
    .description(
      'GEMM GFLOPS at the Mult-VAE shapes and Mult-VAE training epochs at ML-1M and ML-20M shape, with peak RSS',
    )
    .option('--json', 'print one JSON object per result line on stdout')
    .option('--only <list>', `comma-separated subset of: ${ENGINE_BENCHES.join(', ')}`, ENGINE_BENCHES.join(','))
    .option('--runs <n>', 'timed repetitions per GEMM shape (at least 5) and per ML-1M epoch', '3')
    .option('--ml20m-batches <n>', 'batches to time at ML-20M shape, scaled to an epoch (0 = a full epoch)', '0')
    .action((opts: { json?: boolean; only: string; runs: string; ml20mBatches: string }) => {
      const out = makeOutput(Boolean(opts.json));
      const only = opts.only.split(',').map((s) => s.trim());
      for (const o of only) {
        if (!ENGINE_BENCHES.includes(o as EngineBench)) {
          throw new ConfigError(`--only: unknown benchmark "${o}"; valid: ${ENGINE_BENCHES.join(', ')}`);
        }
      }
      const { kernels, reason } = selectKernels();
      out.note(`kernels: ${kernels.provider} (${reason}), ${kernels.threads} thread(s)`);
      runEngineBench(
        kernels,
        {
          only: only as EngineBench[],
          runs: parseInteger('--runs', opts.runs, 1),
          ml20mBatches: parseInteger('--ml20m-batches', opts.ml20mBatches, 0),
        },
        (r) => out.result(r, () => line(r)),
      );
    });
}
