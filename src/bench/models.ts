import { generateSynthetic } from '../data/loaders/synthetic.js';
import { preprocess } from '../data/preprocess.js';
import type { Kernels } from '../engine/kernels/types.js';
import { BufferPool } from '../engine/pool.js';
import { Rng } from '../engine/rng.js';
import type { NeuralRecommender, NeuralNet } from '../models/neural/recommender.js';
import { createModel } from '../models/registry.js';
import type { BenchRecord } from './engine.js';
import { median, peakRssMb } from './stats.js';

/** Seconds per training epoch of a neural model on synthetic data of ML-1M shape (batch 500), median of `runs`. */
export function benchModelEpoch(
  kernels: Kernels,
  model: string,
  runs: number,
  config: Record<string, unknown> = {},
): BenchRecord {
  const data = preprocess(generateSynthetic({ size: 'ml-1m' })).matrix;
  const m = createModel(model, { batchSize: 500, epochs: 1, ...config }, data.cols) as NeuralRecommender<NeuralNet>;
  m.fit(data.rowRange(0, 500), { kernels, rng: Rng.seeded(0), stopAfterEpochs: 1 }); // builds the network, warms up
  const net = m.net;
  const rng = Rng.seeded(0).derive('bench');
  const pool = new BufferPool();
  const times: number[] = [];
  let step = 0;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    step = net.trainEpoch({ kernels, data, rng, epoch: r, step, pool }).step;
    times.push((performance.now() - t) / 1000);
  }
  return {
    name: `${model} epoch, ml-1m shape`,
    median_s: median(times),
    runs,
    seconds: times,
    users: data.rows,
    items: data.cols,
    positives: data.nnz,
    peak_rss_mb: peakRssMb(),
    provider: kernels.provider,
    threads: kernels.threads,
  };
}
