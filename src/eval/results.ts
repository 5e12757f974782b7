import type { Split } from '../data/split/protocols.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { CodeVersion } from '../version.js';
import type { EvalResult, MetricSummary } from './evaluate.js';

/** A result as written to disk: the numbers plus everything needed to reproduce them. */
export interface ResultRecord {
  kind: 'train' | 'evaluate';
  model: { name: string; config: Record<string, unknown>; file?: string };
  dataset: Split['dataset'];
  protocol: { description: string; config: Split['config'] };
  split: { hash: string; dir?: string };
  seed: number;
  fitOn: 'validation' | 'test';
  evaluatedOn: 'validation' | 'test';
  users: number;
  metrics: Record<string, MetricSummary>;
  seconds: { fit?: number; evaluate: number };
  /** Neural models: epochs run, best epoch (1-based) and its validation NDCG@100, and where a resumed run resumed. */
  training?: {
    epochsRun: number;
    bestEpoch: number | null;
    bestValidationNdcg100: number | null;
    resumedFrom: number | null;
  };
  kernels: { provider: string; threads: number };
  codeVersion: CodeVersion;
  created: string;
}

export function writeResult(path: string, record: ResultRecord): void {
  writeFileAtomic(path, `${JSON.stringify(record, null, 1)}\n`);
}

/** "ndcg@100  0.4290 ± 0.0210" lines for a metrics table. */
export function metricRows(result: Pick<EvalResult, 'metrics'>): [string, string][] {
  return Object.entries(result.metrics).map(([k, m]) => [
    k,
    Number.isNaN(m.se) ? m.mean.toFixed(4) : `${m.mean.toFixed(4)} ± ${m.se.toFixed(4)}`,
  ]);
}
