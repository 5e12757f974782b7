import { loadMovieLens } from '../data/loaders/movielens.js';
import { generateSynthetic } from '../data/loaders/synthetic.js';
import { preprocess } from '../data/preprocess.js';
import { splitHash } from '../data/split/io.js';
import { makeSplit } from '../data/split/protocols.js';
import type { Kernels } from '../engine/kernels/types.js';
import { Rng } from '../engine/rng.js';
import { measureModel } from '../measure/measure-model.js';
import { createModel } from '../models/registry.js';
import type { BenchRecord } from './engine.js';
import { median, peakRssMb } from './stats.js';

/**
 * Seconds to measure one model's codes with every measure (GBT classifiers, DCI, MIG, SAP, modularity/explicitness,
 * uncorrelatedness, TreeSHAP, LIME) at ML-1M size: real ML-1M with genre factors when `dataDir` holds it, else
 * synthetic data of ML-1M shape with 18 genres. The codes come from a PureSVD of `dims` factors (200 = Mult-VAE's
 * code width); the cost depends on users, code width and factors, not on the model that made the codes.
 */
export function benchMeasure(kernels: Kernels, options: { dataDir?: string; runs: number; dims: number }): BenchRecord {
  const dataset = options.dataDir
    ? loadMovieLens('ml-1m', options.dataDir)
    : generateSynthetic({ size: 'ml-1m', genres: 18 });
  const split = makeSplit(preprocess(dataset), { type: 'strong', seed: 1 });
  const model = createModel('puresvd', { factors: options.dims }, split.itemIds.length);
  model.fit(split.fitValidation.matrix, { kernels, rng: Rng.seeded(1) });
  const hash = splitHash(split);
  const times: number[] = [];
  let last: ReturnType<typeof measureModel> | null = null;
  for (let r = 0; r < options.runs; r++) {
    const t = performance.now();
    last = measureModel(model, kernels, split, hash, dataset, { factors: 'genres', seed: 1 });
    times.push((performance.now() - t) / 1000);
  }
  return {
    name: `measure all, ${options.dataDir ? 'ml-1m' : 'ml-1m shape (synthetic)'}, ${options.dims}-dim codes`,
    median_s: median(times),
    runs: options.runs,
    seconds: times,
    users: last!.details.users.total,
    factors: last!.factors.names.length,
    dims: options.dims,
    stages: last!.details.seconds,
    peak_rss_mb: peakRssMb(),
    provider: kernels.provider,
    threads: kernels.threads,
  };
}
