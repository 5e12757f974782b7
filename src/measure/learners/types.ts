/**
 * The contracts shared by the learners that the disentanglement metrics fit (gradient-boosted trees, random forest,
 * lasso) and the tree layout that TreeSHAP reads.
 */
import { UntangleError } from '../../errors.js';
import type { Matrix } from '../matrix.js';

/** A classifier of one binary factor from codes, as the DCI metric needs it. */
export interface BinaryClassifier {
  /** Fits on x [rows x cols] and 0/1 labels y [rows]. */
  fit(x: Matrix, y: Uint8Array): void;
  /** P(y = 1) for each row of x [rows x cols] -> [rows]. */
  predictProba(x: Matrix): Float64Array;
  /** Importance of each input column -> [cols], non-negative, sums to 1 unless all zero. */
  featureImportances(): Float64Array;
}

/** Makes a fresh classifier for one factor (the index lets a caller derive a seed per factor). */
export type BinaryClassifierFactory = (factor: number) => BinaryClassifier;

/**
 * One binary tree in flat arrays, nodes numbered in depth-first pre-order (root 0, left subtree before right), as
 * scikit-learn's `tree_`. A row goes left when `float32(x[feature]) <= threshold` (sklearn's trees see float32 input).
 */
export interface Tree {
  nodeCount: number;
  /** Split feature per node; -1 at leaves. */
  feature: Int32Array;
  /** Split threshold per node (midpoint of two consecutive distinct float32 training values); 0 at leaves. */
  threshold: Float64Array;
  /** Left / right child per node; -1 at leaves. */
  left: Int32Array;
  right: Int32Array;
  /** Output per node. At leaves the prediction; at inner nodes the cover-weighted mean of its leaves. */
  value: Float64Array;
  /** Training weight reaching each node (sample count when unweighted); TreeSHAP's path-dependent probabilities. */
  cover: Float64Array;
  /** Impurity of each node on the training targets (variance, or Gini for classification trees). */
  impurity: Float64Array;
}

/** A sum of trees in raw-score space: f(x) = baseValue + sum_t tree_t(x) (shrinkage already folded into values). */
export interface TreeEnsemble {
  baseValue: number;
  trees: readonly Tree[];
  nFeatures: number;
}

/** A learner was used before `fit`. */
export class NotFittedError extends UntangleError {
  constructor(learner: string) {
    super('E_NOT_FITTED', `${learner}: call fit() before predicting or reading importances`);
  }
}

/** Bad training or prediction input (shape mismatch, labels not 0/1, a single class, non-finite values). */
export class LearnerInputError extends UntangleError {
  constructor(message: string) {
    super('E_LEARNER_INPUT', message);
  }
}

/** Checks x [rows x cols] against labels y [rows] (0/1) and optional expected column count; returns #positives. */
export function checkTrainingInput(learner: string, x: Matrix, y: Uint8Array): number {
  if (x.data.length !== x.rows * x.cols) {
    throw new LearnerInputError(`${learner}: matrix holds ${x.data.length} values, not ${x.rows} x ${x.cols}`);
  }
  if (y.length !== x.rows) throw new LearnerInputError(`${learner}: ${y.length} labels for ${x.rows} rows`);
  if (x.rows === 0 || x.cols === 0) throw new LearnerInputError(`${learner}: empty training matrix`);
  let pos = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] > 1) throw new LearnerInputError(`${learner}: label ${y[i]} at row ${i} is not 0 or 1`);
    pos += y[i];
  }
  for (let k = 0; k < x.data.length; k++) {
    if (!Number.isFinite(x.data[k])) {
      throw new LearnerInputError(`${learner}: non-finite value at row ${Math.floor(k / x.cols)}, col ${k % x.cols}`);
    }
  }
  return pos;
}

/** Checks that a prediction matrix has the training column count. */
export function checkPredictInput(learner: string, x: Matrix, cols: number): void {
  if (x.cols !== cols) throw new LearnerInputError(`${learner}: fitted on ${cols} columns, got ${x.cols}`);
}
