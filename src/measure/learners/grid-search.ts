/**
 * The study's optional hyper-parameter search for the per-factor GBT: 2-fold cross-validated accuracy over a grid, as
 * scikit-learn GridSearchCV(GradientBoostingClassifier(), grid, cv=2, scoring='accuracy'). The folds are sklearn's
 * StratifiedKFold(n_splits=2) without shuffling (what cv=2 means for a classifier): each class's rows, in their
 * order, go first to fold 0 and then to fold 1, in the proportions sklearn allocates; no randomness is involved.
 * Candidates are enumerated in ParameterGrid order (keys sorted by name, last key fastest) and the first of equally
 * scoring candidates wins. One boosting run per fold and (learningRate, minSamplesLeaf, minSamplesSplit) serves every
 * nEstimators value, since a model with k trees is the first k stages of a longer one.
 */
import { matrix } from '../matrix.js';
import type { Matrix } from '../matrix.js';
import { GradientBoostedTrees } from './gbt.js';
import type { GbtConfig } from './gbt.js';
import { presort } from './tree.js';
import { checkTrainingInput, LearnerInputError } from './types.js';

/** Candidate values per searched parameter. */
export interface GbtGrid {
  learningRate: number[];
  minSamplesLeaf: number[];
  minSamplesSplit: number[];
  nEstimators: number[];
}

/** One grid point. */
export type GbtGridParams = { [K in keyof GbtGrid]: number };

/** The study's grid: 3 x 3 x 3 x 4 = 108 candidates. */
export const STUDY_GBT_GRID: GbtGrid = {
  learningRate: [0.1, 0.01, 0.001],
  minSamplesLeaf: [1, 2, 4],
  minSamplesSplit: [2, 3, 5],
  nEstimators: [10, 20, 50, 100],
};

export interface GridSearchOptions {
  grid?: GbtGrid;
  /** Seed of the boosting runs (only matters with subsample < 1, given in `base`). */
  seed?: number;
  /** Fixed settings of every candidate, e.g. maxDepth or subsample. */
  base?: Partial<Pick<GbtConfig, 'maxDepth' | 'subsample'>>;
}

/** One candidate's cross-validated accuracy. */
export interface GridResult {
  params: GbtGridParams;
  /** Held-out accuracy on fold 0 and fold 1 (each fold scored by the model fitted on the other). */
  foldAccuracy: [number, number];
  meanAccuracy: number;
}

/** Fold (0 or 1) of each row as sklearn's StratifiedKFold(n_splits=2, shuffle=False) assigns test folds -> [rows]. */
export function stratifiedTwoFold(y: Uint8Array): Uint8Array {
  const counts = [0, 0];
  for (let i = 0; i < y.length; i++) counts[y[i]]++;
  // sklearn: allocation[fold][class] = count of the class among the sorted labels at positions fold, fold + 2, ...
  const firstFold = [0, 0];
  for (let p = 0; p < y.length; p += 2) firstFold[p < counts[0] ? 0 : 1]++;
  const fold = new Uint8Array(y.length);
  const seen = [0, 0];
  for (let i = 0; i < y.length; i++) fold[i] = seen[y[i]]++ < firstFold[y[i]] ? 0 : 1;
  return fold;
}

/** Cross-validated accuracy of every grid point, in ParameterGrid order, for x [rows x cols] and 0/1 labels y. */
export function scoreGbtGrid(x: Matrix, y: Uint8Array, options: GridSearchOptions = {}): GridResult[] {
  checkTrainingInput('gridSearchGbt', x, y);
  const grid = options.grid ?? STUDY_GBT_GRID;
  for (const [key, values] of Object.entries(grid)) {
    if (values.length === 0) throw new LearnerInputError(`gridSearchGbt: no candidates for ${key}`);
  }
  const fold = stratifiedTwoFold(y);
  const splits = [0, 1].map((test) => {
    const train = rowsWhere(fold, (f) => f !== test);
    const held = rowsWhere(fold, (f) => f === test);
    const yTrain = Uint8Array.from(train, (i) => y[i]);
    const yTest = Uint8Array.from(held, (i) => y[i]);
    const pos = yTrain.reduce((a, b) => a + b, 0);
    if (pos === 0 || pos === yTrain.length) {
      throw new LearnerInputError('gridSearchGbt: a training fold holds a single class (too few of one class)');
    }
    return { data: presort(gather(x, train)), yTrain, xTest: gather(x, held), yTest };
  });
  const maxTrees = Math.max(...grid.nEstimators);
  const results: GridResult[] = [];
  for (const learningRate of grid.learningRate) {
    for (const minSamplesLeaf of grid.minSamplesLeaf) {
      for (const minSamplesSplit of grid.minSamplesSplit) {
        const acc = splits.map((s) => {
          const gbt = new GradientBoostedTrees({
            ...options.base,
            learningRate,
            minSamplesLeaf,
            minSamplesSplit,
            nEstimators: maxTrees,
            seed: options.seed ?? 0,
          });
          gbt.fitPresorted(s.data, s.yTrain);
          return grid.nEstimators.map((k) => accuracy(gbt.decisionFunction(s.xTest, k), s.yTest));
        });
        grid.nEstimators.forEach((nEstimators, k) => {
          const foldAccuracy: [number, number] = [acc[0][k], acc[1][k]];
          const params = { learningRate, minSamplesLeaf, minSamplesSplit, nEstimators };
          results.push({ params, foldAccuracy, meanAccuracy: (foldAccuracy[0] + foldAccuracy[1]) / 2 });
        });
      }
    }
  }
  return results;
}

/** The grid point with the best mean 2-fold accuracy (the first in grid order among ties). */
export function gridSearchGbt(x: Matrix, y: Uint8Array, options: GridSearchOptions = {}): GbtGridParams {
  const results = scoreGbtGrid(x, y, options);
  let best = results[0];
  for (const r of results) if (r.meanAccuracy > best.meanAccuracy) best = r;
  return best.params;
}

/** Share of rows whose raw score falls on the side of their label (score > 0 predicts 1, as sklearn's argmax). */
function accuracy(raw: Float64Array, y: Uint8Array): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if ((raw[i] > 0 ? 1 : 0) === y[i]) ok++;
  return ok / y.length;
}

function rowsWhere(fold: Uint8Array, keep: (f: number) => boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < fold.length; i++) if (keep(fold[i])) out.push(i);
  return Int32Array.from(out);
}

/** Rows `idx` of x, copied in that order. */
function gather(x: Matrix, idx: Int32Array): Matrix {
  const data = new Float64Array(idx.length * x.cols);
  for (let k = 0; k < idx.length; k++) data.set(x.data.subarray(idx[k] * x.cols, (idx[k] + 1) * x.cols), k * x.cols);
  return matrix(idx.length, x.cols, data);
}
