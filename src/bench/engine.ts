import { SHAPES, type ShapedSpec, shapedInteractions } from '../data/shaped.js';
import type { Kernels } from '../engine/kernels/types.js';
import { Rng } from '../engine/rng.js';
import { AutoencoderNet, MultVaeConfig } from '../models/neural/autoencoder.js';
import { trainEpoch } from '../train/epoch.js';
import { median, peakRssMb } from './stats.js';

/** One benchmark result line (`untangle bench engine --json` prints one per line). */
export interface BenchRecord {
  name: string;
  median_s: number;
  runs: number;
  [field: string]: unknown;
}

export const ENGINE_BENCHES = ['gemm', 'ml-1m', 'ml-20m'] as const;
export type EngineBench = (typeof ENGINE_BENCHES)[number];

export interface EngineBenchOptions {
  only: readonly EngineBench[];
  /** Timed repetitions per GEMM shape and per ML-1M epoch (after one warm-up). */
  runs: number;
  /** Batches to time at ML-20M shape (scaled to a full epoch); 0 = a full epoch. */
  ml20mBatches: number;
}

/** The GEMMs of a Mult-VAE decoder output layer (batch 500, hidden 600) and their backward-pass transposes. */
const GEMMS = [
  { label: 'forward Y = H W', m: 500, n: 3706, k: 600, ta: false, tb: false },
  { label: 'backward dW = H^T dY', m: 600, n: 3706, k: 500, ta: true, tb: false },
  { label: 'backward dH = dY W^T', m: 500, n: 600, k: 3706, ta: false, tb: true },
  { label: 'forward Y = H W (ML-20M items)', m: 500, n: 20108, k: 600, ta: false, tb: false },
] as const;

/** Runs the selected engine benchmarks, handing each record to `emit` as soon as it is measured. */
export function runEngineBench(kernels: Kernels, options: EngineBenchOptions, emit: (r: BenchRecord) => void): void {
  const common = { provider: kernels.provider, threads: kernels.threads };
  if (options.only.includes('gemm')) {
    for (const s of GEMMS) {
      const rng = Rng.seeded(0).derive('bench', 'gemm');
      const a = rng.fillUniform(new Float32Array(s.m * s.k));
      const b = rng.fillUniform(new Float32Array(s.k * s.n));
      const c = new Float32Array(s.m * s.n);
      const lda = s.ta ? s.m : s.k;
      const ldb = s.tb ? s.k : s.n;
      const run = () => kernels.gemm(s.ta, s.tb, s.m, s.n, s.k, 1, a, 0, lda, b, 0, ldb, 0, c, 0, s.n);
      run();
      const times: number[] = [];
      for (let r = 0; r < Math.max(options.runs, 5); r++) {
        const t = performance.now();
        run();
        times.push((performance.now() - t) / 1000);
      }
      const med = median(times);
      emit({
        name: `gemm ${s.m}x${s.n}x${s.k} ${s.ta ? 'T' : 'N'}${s.tb ? 'T' : 'N'}`,
        median_s: med,
        runs: times.length,
        gflops: (2 * s.m * s.n * s.k) / med / 1e9,
        what: s.label,
        ...common,
      });
    }
  }
  if (options.only.includes('ml-1m')) {
    emit(multVaeEpochs('multvae epoch, ml-1m shape', SHAPES['ml-1m'], kernels, options.runs, 0, common));
  }
  if (options.only.includes('ml-20m')) {
    const name = 'multvae epoch, ml-20m shape';
    emit(multVaeEpochs(name, SHAPES['ml-20m'], kernels, 1, options.ml20mBatches, common));
  }
}

/** Times Mult-VAE (I-600-200-600-I, batch 500, Adam 1e-3) epochs on random data of the given shape. */
function multVaeEpochs(
  name: string,
  shape: ShapedSpec,
  kernels: Kernels,
  runs: number,
  maxBatches: number,
  common: Record<string, unknown>,
): BenchRecord {
  const root = Rng.seeded(0).derive('bench', name);
  const dataStart = performance.now();
  const data = shapedInteractions(shape, root.derive('data'));
  const dataSeconds = (performance.now() - dataStart) / 1000;
  const net = new AutoencoderNet('multvae', MultVaeConfig.parse({ batchSize: 500 }), data.cols, root.derive('net'));
  const opt = Object.values(net.optimizers(kernels));
  const batchSize = 500;
  const batchesPerEpoch = Math.ceil(data.rows / batchSize);
  const limit = maxBatches > 0 ? Math.min(maxBatches, batchesPerEpoch) : batchesPerEpoch;
  let step = 0;
  // warm-up: a full epoch for small shapes, two batches for large ones
  const warm = trainEpoch(net, data, opt, kernels, root, {
    epoch: -1,
    step,
    batchSize,
    maxBatches: limit === batchesPerEpoch && batchesPerEpoch <= 20 ? batchesPerEpoch : 2,
  });
  step = warm.step;
  const epochs: number[] = [];
  const losses: number[] = [];
  for (let e = 0; e < runs; e++) {
    const r = trainEpoch(net, data, opt, kernels, root, { epoch: e, step, batchSize, maxBatches: limit });
    step = r.step;
    epochs.push((r.seconds * batchesPerEpoch) / r.batches);
    losses.push(r.meanLoss);
  }
  return {
    name,
    median_s: median(epochs),
    runs,
    epochs_s: epochs,
    measured_batches: limit,
    batches_per_epoch: batchesPerEpoch,
    scaled: limit < batchesPerEpoch,
    users: data.rows,
    items: data.cols,
    positives: data.nnz,
    mean_loss: losses,
    data_seconds: dataSeconds,
    peak_rss_mb: peakRssMb(),
    ...common,
  };
}
