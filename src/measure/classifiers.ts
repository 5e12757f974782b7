import type { Rng } from '../engine/rng.js';
import type { MeasureConfig } from './config.js';
import type { Rows } from './holdout.js';
import { GradientBoostedTrees } from './learners/gbt.js';
import { gridSearchGbt } from './learners/grid-search.js';
import { Lasso } from './learners/lasso.js';
import { RandomForest } from './learners/forest.js';
import { treeShap } from './learners/treeshap.js';
import type { BinaryClassifier, TreeEnsemble } from './learners/types.js';
import { type Matrix, labelColumn, matrix } from './matrix.js';
import { presort } from './learners/tree.js';

/** A fitted per-factor classifier as the measures use it. */
export interface FactorModel {
  /** P(factor = 1) per row of x [rows x dims]. */
  predictProba(x: Matrix): Float64Array;
  /** SHAP values [rows x dims] of the classifier's raw score (log-odds for trees). */
  shapValues(x: Matrix): Matrix;
}

export interface FittedFactor {
  factor: number;
  /** null when the factor has one class among the training users. */
  model: FactorModel | null;
  /** Importance of each code dimension [dims] (the DCI column). */
  importance: Float64Array;
  accuracyTrain: number;
  accuracyTest: number;
}

/**
 * Fits one classifier per factor on the training users' codes (GBT by default, as the study and disentanglement_lib),
 * optionally after the study's grid search, and scores its accuracy on training and held-out users.
 */
export function fitFactorClassifiers(
  train: Rows,
  test: Rows,
  config: MeasureConfig,
  rng: Rng,
  onProgress: (done: number, total: number) => void,
): FittedFactor[] {
  const F = train.labels.cols;
  const sorted = config.importance === 'gbt' ? presort(train.codes) : null;
  const out: FittedFactor[] = [];
  for (let j = 0; j < F; j++) {
    onProgress(j, F);
    const y = labelColumn(train.labels, j);
    const yTest = labelColumn(test.labels, j);
    let pos = 0;
    for (let i = 0; i < y.length; i++) pos += y[i];
    if (pos === 0 || pos === y.length) {
      out.push({
        factor: j,
        model: null,
        importance: new Float64Array(train.codes.cols),
        accuracyTrain: NaN,
        accuracyTest: NaN,
      });
      continue;
    }
    const seed = rng.derive('factor', j).int(2 ** 31);
    let clf: BinaryClassifier;
    let model: FactorModel;
    if (config.importance === 'gbt') {
      const params = config.gridSearch ? gridSearchGbt(train.codes, y, { seed }) : {};
      const gbt = new GradientBoostedTrees({ ...params, seed });
      gbt.fitPresorted(sorted!, y);
      clf = gbt;
      model = treeModel(gbt, () => gbt.ensemble());
    } else if (config.importance === 'forest') {
      const rf = new RandomForest({ seed });
      rf.fit(train.codes, y);
      clf = rf;
      model = treeModel(rf, () => rf.ensemble());
    } else {
      const lasso = new Lasso();
      lasso.fit(train.codes, y);
      clf = lasso;
      model = linearModel(lasso, lasso.coefficients(), train.codes);
    }
    out.push({
      factor: j,
      model,
      // |importance| as the study and disentanglement_lib take it (rounding can leave -1e-17 on unused dimensions)
      importance: clf.featureImportances().map(Math.abs),
      accuracyTrain: accuracy(clf.predictProba(train.codes), y),
      accuracyTest: accuracy(clf.predictProba(test.codes), yTest),
    });
  }
  onProgress(F, F);
  return out;
}

function treeModel(clf: BinaryClassifier, ensemble: () => TreeEnsemble): FactorModel {
  return { predictProba: (x) => clf.predictProba(x), shapValues: (x) => treeShap(ensemble(), x) };
}

/** SHAP of a linear model with independent features (shap.LinearExplainer): w_j (x_j - mean_j over training rows). */
function linearModel(clf: BinaryClassifier, w: Float64Array, trainCodes: Matrix): FactorModel {
  const d = trainCodes.cols;
  const mu = new Float64Array(d);
  for (let i = 0; i < trainCodes.rows; i++)
    for (let k = 0; k < d; k++) mu[k] += trainCodes.data[i * d + k] / trainCodes.rows;
  return {
    predictProba: (x) => clf.predictProba(x),
    shapValues: (x) => {
      const out = matrix(x.rows, d);
      for (let i = 0; i < x.rows; i++)
        for (let k = 0; k < d; k++) out.data[i * d + k] = w[k] * (x.data[i * d + k] - mu[k]);
      return out;
    },
  };
}

function accuracy(p: Float64Array, y: Uint8Array): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) ok += (p[i] > 0.5 ? 1 : 0) === y[i] ? 1 : 0;
  return y.length ? ok / y.length : NaN;
}
