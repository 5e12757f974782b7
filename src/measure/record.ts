import type { Split } from '../data/split/protocols.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { CodeVersion } from '../version.js';
import type { MeasureConfig } from './config.js';
import type { DroppedFactor } from './factors/types.js';
import type { MeasureDetails, MeasureScores } from './run.js';

/** A measurement as written to disk: the scores plus everything needed to reproduce them. */
export interface MeasureRecord {
  kind: 'measure';
  model: { name: string; config: Record<string, unknown>; file?: string; seed?: number };
  dataset: Split['dataset'];
  split: { hash: string; dir?: string };
  config: MeasureConfig;
  code: { kind: MeasureConfig['code']; name: string; dims: number };
  factors: { source: MeasureConfig['factors']; description: string; names: string[]; dropped: DroppedFactor[] };
  scores: MeasureScores;
  details: MeasureDetails;
  seconds: { codes: number; factors: number; measures: number };
  codeVersion: CodeVersion;
  created: string;
}

export function writeMeasureRecord(path: string, record: MeasureRecord): void {
  writeFileAtomic(path, `${JSON.stringify(record, null, 1)}\n`);
}

/** Report labels of the scores, in order: what each number is. */
export const SCORE_LABELS: [keyof MeasureScores, string][] = [
  ['disentanglement', 'DCI disentanglement'],
  ['completeness', 'DCI completeness'],
  ['accuracyTest', 'DCI informativeness (held-out accuracy)'],
  ['mig', 'MIG'],
  ['sap', 'SAP'],
  ['modularity', 'modularity'],
  ['explicitness', 'explicitness (held-out AUC)'],
  ['uncorrelatedness', 'uncorrelatedness'],
  ['lime', 'LIME interpretability (JS distance)'],
  ['shap', 'SHAP interpretability (JS distance)'],
];

/** "name  value" rows of the scores that were computed. */
export function scoreRows(scores: MeasureScores): [string, string][] {
  return SCORE_LABELS.filter(([k]) => scores[k] !== undefined).map(([k, label]) => [
    label,
    Number.isNaN(scores[k]) ? 'n/a' : scores[k]!.toFixed(4),
  ]);
}
