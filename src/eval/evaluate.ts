import type { CsrMatrix } from '../engine/csr.js';
import type { Kernels } from '../engine/kernels/types.js';
import type { EvalSet } from '../data/split/protocols.js';
import { type MetricSpec, meanAndSe, metricKey, userMetric } from './metrics.js';

/**
 * Scores every item for a batch of users given their fold-in histories: [batch x items], row-major. `rows` are the
 * users' rows in the EvalSet (for scorers that need to know who they score, e.g. oracles in tests).
 */
export type BatchScorer = (foldIn: CsrMatrix, rows: Int32Array) => Float32Array;

export interface EvaluateOptions {
  metrics: MetricSpec[];
  /** Users scored at once (memory: batch x items floats). */
  batchSize?: number;
}

export interface MetricSummary {
  mean: number;
  /** Standard error of the mean over evaluated users. */
  se: number;
}

export interface EvalResult {
  /** Users with at least one held-out item (the others are not evaluated). */
  users: number;
  metrics: Record<string, MetricSummary>;
  /** Per evaluated user, in EvalSet row order (see `rows`); coverage has no per-user values. */
  perUser: Record<string, Float64Array>;
  /** EvalSet rows that were evaluated. */
  rows: Int32Array;
}

/**
 * Full-ranking evaluation: each user's scores over all items, their fold-in items excluded, one top-K pass (K the
 * largest cutoff asked for) feeding every metric. Ties rank the lower item index first.
 */
export function evaluate(kernels: Kernels, score: BatchScorer, set: EvalSet, options: EvaluateOptions): EvalResult {
  const { metrics } = options;
  const batchSize = options.batchSize ?? 1000;
  const K = Math.max(...metrics.map((m) => m.k));
  const items = set.foldIn.cols;
  const rows: number[] = [];
  for (let r = 0; r < set.heldOut.rows; r++) if (set.heldOut.rowNnz(r) > 0) rows.push(r);
  const perUser: Record<string, Float64Array> = {};
  for (const m of metrics) if (m.name !== 'coverage') perUser[metricKey(m)] = new Float64Array(rows.length);
  const covered = metrics.filter((m) => m.name === 'coverage').map((m) => ({ m, seen: new Uint8Array(items) }));
  const target = new Uint8Array(items);
  for (let b = 0; b < rows.length; b += batchSize) {
    const batchRows = Int32Array.from(rows.slice(b, b + batchSize));
    const foldIn = set.foldIn.sliceRows(batchRows);
    const scores = score(foldIn, batchRows);
    const top = new Int32Array(batchRows.length * K);
    kernels.topK(batchRows.length, items, scores, foldIn.indptr, foldIn.indices, K, top);
    batchRows.forEach((r, q) => {
      const t = top.subarray(q * K, (q + 1) * K);
      const { indptr, indices } = set.heldOut;
      for (let p = indptr[r]; p < indptr[r + 1]; p++) target[indices[p]] = 1;
      const nTargets = indptr[r + 1] - indptr[r];
      for (const m of metrics) {
        if (m.name === 'coverage') continue;
        perUser[metricKey(m)][b + q] = userMetric(m.name, m.k, t, (i) => target[i] === 1, nTargets);
      }
      for (let p = indptr[r]; p < indptr[r + 1]; p++) target[indices[p]] = 0;
      for (const c of covered) for (let x = 0; x < c.m.k; x++) if (t[x] >= 0) c.seen[t[x]] = 1;
    });
  }
  const summary: Record<string, MetricSummary> = {};
  for (const [key, values] of Object.entries(perUser)) summary[key] = meanAndSe(values);
  for (const c of covered) {
    const count = c.seen.reduce((a, s) => a + s, 0);
    summary[metricKey(c.m)] = { mean: count / items, se: Number.NaN };
  }
  return { users: rows.length, metrics: summary, perUser, rows: Int32Array.from(rows) };
}
