import { CsrMatrix } from '../engine/csr.js';
import type { Kernels } from '../engine/kernels/types.js';
import { Rng } from '../engine/rng.js';
import { generateSynthetic } from '../data/loaders/synthetic.js';
import { loadMovieLens } from '../data/loaders/movielens.js';
import { preprocess } from '../data/preprocess.js';
import { makeSplit } from '../data/split/protocols.js';
import type { EvalSet } from '../data/split/protocols.js';
import { evaluate } from '../eval/evaluate.js';
import { parseMetric } from '../eval/metrics.js';
import { createModel } from '../models/registry.js';
import type { BenchRecord } from './engine.js';
import { median, peakRssMb } from './stats.js';

/**
 * Full-rank evaluation speed: top-100 over `items` items for `users` users from given scores (scoring excluded),
 * with ~50 fold-in items excluded and ~10 held-out items per user, NDCG@100 + Recall@20/50 + coverage.
 */
export function benchEval(kernels: Kernels, runs: number, users = 10_000, items = 20_108): BenchRecord {
  const rng = Rng.seeded(0).derive('bench', 'eval');
  const rows = (per: number) => {
    const r: number[] = [];
    const c: number[] = [];
    for (let u = 0; u < users; u++) for (const i of rng.sampleWithoutReplacement(items, per)) (r.push(u), c.push(i));
    return CsrMatrix.fromTriplets(users, items, r, c, undefined, 'last');
  };
  const set: EvalSet = { users: Int32Array.from({ length: users }, (_, u) => u), foldIn: rows(50), heldOut: rows(10) };
  const batch = 1000;
  const scores = rng.fillNormal(new Float32Array(batch * items)); // the same given scores for every batch
  const metrics = ['ndcg@100', 'recall@20', 'recall@50', 'coverage@100'].map(parseMetric);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    evaluate(kernels, (f) => (f.rows === batch ? scores : scores.subarray(0, f.rows * items)), set, {
      metrics,
      batchSize: batch,
    });
    times.push((performance.now() - t) / 1000);
  }
  return {
    name: `evaluate top-100, ${users} users x ${items} items`,
    median_s: median(times),
    runs,
    seconds: times,
    provider: kernels.provider,
    threads: kernels.threads,
  };
}

/** EASE fit time (Gram + inverse + weights) on synthetic data of a MovieLens shape. */
export function benchEase(kernels: Kernels, shape: 'ml-1m' | 'ml-20m', runs: number): BenchRecord {
  const data = preprocess(generateSynthetic({ size: shape }));
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const model = createModel('ease', { lambda: 500 }, data.matrix.cols);
    const t = performance.now();
    model.fit(data.matrix, { kernels, rng: Rng.seeded(0) });
    times.push((performance.now() - t) / 1000);
  }
  return {
    name: `ease fit, ${shape} shape (${data.matrix.cols} items)`,
    median_s: median(times),
    runs,
    seconds: times,
    users: data.matrix.rows,
    items: data.matrix.cols,
    interactions: data.matrix.nnz,
    peak_rss_mb: peakRssMb(),
    provider: kernels.provider,
    threads: kernels.threads,
  };
}

/** Loading + preprocessing + strong-splitting a MovieLens copy from disk (the `--data-dir` path). */
export function benchDataSplit(dataDir: string, dataset: 'ml-100k' | 'ml-1m', runs: number): BenchRecord {
  const times: number[] = [];
  let users = 0;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const split = makeSplit(preprocess(loadMovieLens(dataset, dataDir)), { type: 'strong', seed: 1 });
    times.push((performance.now() - t) / 1000);
    users = split.dataset.users;
  }
  return { name: `load + preprocess + split ${dataset}`, median_s: median(times), runs, seconds: times, users };
}
