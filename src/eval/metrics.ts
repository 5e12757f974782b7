import { ConfigError } from '../errors.js';

/** Per-user ranking metrics; coverage is a whole-run metric computed from the same top-k lists. */
export const METRIC_NAMES = ['ndcg', 'recall', 'precision', 'mrr', 'coverage'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface MetricSpec {
  name: MetricName;
  k: number;
}

/** Parses "ndcg@100" style names; unknown names fail with the list of valid ones. */
export function parseMetric(spec: string): MetricSpec {
  const m = /^([a-z]+)@(\d+)$/.exec(spec.trim());
  if (!m || !METRIC_NAMES.includes(m[1] as MetricName) || Number(m[2]) < 1) {
    throw new ConfigError(`metric "${spec}" is not one of ${METRIC_NAMES.map((n) => `${n}@K`).join(', ')} (K >= 1)`);
  }
  return { name: m[1] as MetricName, k: Number(m[2]) };
}

export const metricKey = (m: MetricSpec): string => `${m.name}@${m.k}`;

const discount = (rank: number) => 1 / Math.log2(rank + 2); // rank is 0-based

/**
 * One user's value of a per-user metric from the top of their ranking (`top`, best first, -1 padded) and their
 * held-out items. NDCG@k: DCG over the top k with 1/log2(rank + 1) gains, normalised by the ideal DCG over
 * min(k, |held-out|) hits. Recall@k: hits / min(k, |held-out|). Precision@k: hits / k. MRR@k: 1 / rank of the first
 * hit in the top k, else 0.
 */
export function userMetric(
  name: Exclude<MetricName, 'coverage'>,
  k: number,
  top: Int32Array,
  isTarget: (item: number) => boolean,
  targets: number,
): number {
  const depth = Math.min(k, top.length);
  if (name === 'mrr') {
    for (let r = 0; r < depth; r++) if (top[r] >= 0 && isTarget(top[r])) return 1 / (r + 1);
    return 0;
  }
  let hits = 0;
  let dcg = 0;
  for (let r = 0; r < depth; r++) {
    if (top[r] >= 0 && isTarget(top[r])) {
      hits++;
      dcg += discount(r);
    }
  }
  if (name === 'recall') return hits / Math.min(k, targets);
  if (name === 'precision') return hits / k;
  let idcg = 0;
  for (let r = 0; r < Math.min(k, targets); r++) idcg += discount(r);
  return dcg / idcg;
}

/** Mean and standard error (sample standard deviation / sqrt(n)). */
export function meanAndSe(values: ArrayLike<number>): { mean: number; se: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, se: Number.NaN };
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const mean = s / n;
  if (n === 1) return { mean, se: Number.NaN };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { mean, se: Math.sqrt(ss / (n - 1)) / Math.sqrt(n) };
}
