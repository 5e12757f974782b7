import { Rng } from '../engine/rng.js';
import { type FittedFactor, fitFactorClassifiers } from './classifiers.js';
import type { MeasureConfig, MeasureName } from './config.js';
import { holdout, takeRows } from './holdout.js';
import { type LabelMatrix, type Matrix, labelColumn, matrix } from './matrix.js';
import { dciFromImportance } from './metrics/dci.js';
import { meanPairwiseJsDistance } from './metrics/jensen-shannon.js';
import { limeGlobalMany } from './metrics/lime.js';
import { mig, mutualInformationMatrix } from './metrics/mig.js';
import { explicitness, modularity } from './metrics/modularity.js';
import { sap } from './metrics/sap.js';
import { shapGlobal } from './metrics/shap-global.js';
import { uncorrelatedness } from './metrics/uncorrelatedness.js';

/** The scores of one code against one set of factors; a measure not asked for is absent. */
export interface MeasureScores {
  /** DCI disentanglement and completeness from the classifiers' importance matrix. */
  disentanglement?: number;
  completeness?: number;
  /** DCI informativeness, reported as what it is: the classifiers' mean accuracy on held-out (and training) users. */
  accuracyTest?: number;
  accuracyTrain?: number;
  mig?: number;
  sap?: number;
  modularity?: number;
  /** Mean held-out ROC AUC of one logistic regression per factor on all code dimensions. */
  explicitness?: number;
  uncorrelatedness?: number;
  /** Interpretability (Dervishaj et al.): mean pairwise Jensen-Shannon distance between the factors' importance
   * distributions over code dimensions, from SHAP-global and LIME-global. */
  shap?: number;
  lime?: number;
}

/** Everything one measurement produced besides the scores: per-factor details and importance matrices. */
export interface MeasureDetails {
  factors: { name: string; positiveRate: number; accuracyTrain?: number; accuracyTest?: number }[];
  /** Factors the classifiers could not use (one class among training users). */
  skipped: string[];
  /** [codes x factors] importance matrices, one per source. */
  importance: { classifier?: number[][]; shap?: number[][]; lime?: number[][] };
  users: { total: number; train: number; test: number; lime?: number; shap?: number };
  seconds: Partial<Record<MeasureName | 'classifiers', number>>;
}

/** Progress of a measurement, for progress bars. */
export type MeasureEvent = { kind: 'stage'; stage: MeasureName | 'classifiers'; done: number; total: number };

/**
 * Measures z-scored user codes [users x dims] against binary factors [users x factors]: classifiers per factor on a
 * seeded hold-out (the importance behind DCI, SHAP and LIME), then each asked-for measure. Pure in its inputs and
 * config: the same codes, labels and seed give the same numbers.
 */
export function measureCodes(
  codes: Matrix,
  labels: LabelMatrix,
  config: MeasureConfig,
  onEvent: (e: MeasureEvent) => void = () => {},
): { scores: MeasureScores; details: MeasureDetails } {
  if (codes.rows !== labels.rows) throw new RangeError(`measure: ${codes.rows} code rows, ${labels.rows} label rows`);
  const want = new Set(config.measures);
  const root = Rng.seeded(config.seed).derive('measure');
  const split = holdout(codes.rows, config.testShare, root.derive('holdout'));
  const train = takeRows(codes, labels, split.train);
  const test = takeRows(codes, labels, split.test);
  const scores: MeasureScores = {};
  const details: MeasureDetails = {
    factors: labels.names.map((name, j) => ({ name, positiveRate: mean(labelColumn(labels, j)) })),
    skipped: [],
    importance: {},
    users: { total: codes.rows, train: split.train.length, test: split.test.length },
    seconds: {},
  };
  const timed = <T>(stage: MeasureName | 'classifiers', fn: () => T): T => {
    const t0 = performance.now();
    const out = fn();
    details.seconds[stage] = (performance.now() - t0) / 1000;
    return out;
  };

  let fitted: FittedFactor[] = [];
  if (want.has('dci') || want.has('shap') || want.has('lime')) {
    fitted = timed('classifiers', () =>
      fitFactorClassifiers(train, test, config, root.derive('classifiers'), (done, total) =>
        onEvent({ kind: 'stage', stage: 'classifiers', done, total }),
      ),
    );
    for (const f of fitted) {
      const entry = details.factors[f.factor];
      if (f.model) {
        entry.accuracyTrain = f.accuracyTrain;
        entry.accuracyTest = f.accuracyTest;
      } else details.skipped.push(entry.name);
    }
  }
  const usable = fitted.filter((f) => f.model !== null);

  if (want.has('dci') && usable.length > 0)
    timed('dci', () => {
      const imp = columns(usable.map((f) => f.importance));
      Object.assign(scores, dciFromImportance(imp));
      scores.accuracyTrain = mean(usable.map((f) => f.accuracyTrain));
      scores.accuracyTest = mean(usable.map((f) => f.accuracyTest));
      details.importance.classifier = toRows(imp);
    });
  if (want.has('mig')) timed('mig', () => (scores.mig = mig(codes, labels)));
  if (want.has('sap')) timed('sap', () => (scores.sap = sap(train.codes, train.labels, test.codes, test.labels)));
  if (want.has('modularity'))
    timed('modularity', () => {
      scores.modularity = modularity(mutualInformationMatrix(codes, labels));
      scores.explicitness = explicitness(train.codes, train.labels, test.codes, test.labels).mean;
    });
  if (want.has('uncorrelatedness'))
    timed('uncorrelatedness', () => (scores.uncorrelatedness = uncorrelatedness(codes)));
  if (want.has('shap') && usable.length > 1)
    timed('shap', () => {
      const rows = sampleRows(codes, config.shapUsers, root.derive('shap-users'));
      details.users.shap = rows.rows;
      const imp = columns(
        usable.map((f, k) => {
          onEvent({ kind: 'stage', stage: 'shap', done: k, total: usable.length });
          return shapGlobal(f.model!.shapValues(rows));
        }),
      );
      scores.shap = meanPairwiseJsDistance(imp);
      details.importance.shap = toRows(imp);
    });
  if (want.has('lime') && usable.length > 1)
    timed('lime', () => {
      const numSamples = config.limeSamples ?? Math.min(5000, Math.max(50, Math.round(0.1 * codes.rows)));
      details.users.lime = Math.min(codes.rows, config.limeUsers);
      onEvent({ kind: 'stage', stage: 'lime', done: 0, total: 1 });
      // every factor's classifier is explained on the same users and perturbations (common random numbers)
      const imp = columns(
        limeGlobalMany(
          codes,
          usable.map((f) => (x: Matrix) => f.model!.predictProba(x)),
          { numSamples, maxRows: config.limeUsers, rng: root.derive('lime') },
        ),
      );
      scores.lime = meanPairwiseJsDistance(imp);
      details.importance.lime = toRows(imp);
    });
  return { scores, details };
}

/** Columns [dims] per factor -> a [dims x factors] matrix. */
function columns(cols: Float64Array[]): Matrix {
  const dims = cols[0]?.length ?? 0;
  const m = matrix(dims, cols.length);
  cols.forEach((c, j) => c.forEach((v, i) => (m.data[i * cols.length + j] = v)));
  return m;
}

function toRows(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length ? s / xs.length : NaN;
}

/** A seeded sample of `max` rows (all when null or larger). */
function sampleRows(codes: Matrix, max: number | null, rng: Rng): Matrix {
  if (max === null || max >= codes.rows) return codes;
  const idx = rng.sampleWithoutReplacement(codes.rows, max).sort();
  const out = matrix(max, codes.cols);
  idx.forEach((r, k) => out.data.set(codes.data.subarray(r * codes.cols, (r + 1) * codes.cols), k * codes.cols));
  return out;
}
