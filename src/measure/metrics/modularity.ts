/**
 * Modularity and explicitness (Ridgeway & Zemel, NeurIPS 2018) as disentanglement_lib's `modularity_explicitness.py`:
 * modularity asks whether each code dimension carries information about one factor only (from the discretised mutual
 * information matrix); explicitness asks whether each factor is linearly decodable from all codes (ROC AUC of a
 * logistic regression on held-out rows).
 */
import { fitLogisticRegression, logisticProbabilities } from '../learners/logistic.js';
import { labelColumn, matrix, type LabelMatrix, type Matrix } from '../matrix.js';
import { rocAuc } from './auc.js';

/**
 * Modularity in [0, 1] from mutual information [codes x factors] (e.g. mutualInformationMatrix): per code
 * 1 - sum_{f != argmax} mi_f^2 / (max^2 (F - 1)), averaged over all codes. A code with no information about any
 * factor scores 0, as in disentanglement_lib (it is not a module of anything). With one factor every informative code
 * is trivially modular (1); disentanglement_lib would divide 0 by 0 there.
 */
export function modularity(mi: Matrix): number {
  const { rows: nCodes, cols: nFactors, data } = mi;
  if (nCodes === 0 || nFactors === 0) throw new RangeError(`modularity: empty MI matrix ${nCodes} x ${nFactors}`);
  let sum = 0;
  for (let i = 0; i < nCodes; i++) {
    let maxSq = 0;
    let totalSq = 0;
    for (let j = 0; j < nFactors; j++) {
      const sq = data[i * nFactors + j] ** 2;
      totalSq += sq;
      if (sq > maxSq) maxSq = sq;
    }
    if (maxSq === 0) continue;
    sum += nFactors === 1 ? 1 : 1 - (totalSq - maxSq) / (maxSq * (nFactors - 1));
  }
  return sum / nCodes;
}

/** Explicitness per factor and its mean over the factors that could be scored. */
export interface Explicitness {
  /** Mean test ROC AUC over scored factors; NaN when no factor could be scored. */
  mean: number;
  /** Test ROC AUC per factor [factors]; NaN where the train or test rows hold only one class. */
  perFactor: Float64Array;
}

/**
 * Explicitness: for each factor, sklearn's LogisticRegression() (L2, C = 1) on all code dimensions of the train rows,
 * scored by ROC AUC of P(factor = 1) on the test rows. Codes are standardised with the train rows' mean and
 * (population) standard deviation first, as disentanglement_lib; a constant train column is only centred (scale 1),
 * where disentanglement_lib would divide by zero. Factors with a single class in train or test rows cannot be fitted
 * or scored and are left out of the mean. Codes: [users x codeDims]; factors: [users x factors].
 */
export function explicitness(
  trainCodes: Matrix,
  trainFactors: LabelMatrix,
  testCodes: Matrix,
  testFactors: LabelMatrix,
  c = 1,
): Explicitness {
  if (trainCodes.rows !== trainFactors.rows || testCodes.rows !== testFactors.rows) {
    throw new RangeError('explicitness: codes and factors differ in rows');
  }
  if (trainCodes.cols !== testCodes.cols || trainFactors.cols !== testFactors.cols) {
    throw new RangeError('explicitness: train and test differ in code dimensions or factors');
  }
  const { mean, scale } = columnStandardisation(trainCodes);
  const xTrain = standardise(trainCodes, mean, scale);
  const xTest = standardise(testCodes, mean, scale);
  const perFactor = new Float64Array(trainFactors.cols).fill(NaN);
  let sum = 0;
  let counted = 0;
  for (let j = 0; j < trainFactors.cols; j++) {
    const yTrain = labelColumn(trainFactors, j);
    const yTest = labelColumn(testFactors, j);
    if (!hasBothClasses(yTrain) || !hasBothClasses(yTest)) continue;
    const model = fitLogisticRegression(xTrain, yTrain, { c });
    perFactor[j] = rocAuc(yTest, logisticProbabilities(model, xTest));
    sum += perFactor[j];
    counted++;
  }
  return { mean: counted === 0 ? NaN : sum / counted, perFactor };
}

function columnStandardisation(x: Matrix): { mean: Float64Array; scale: Float64Array } {
  const { rows: n, cols: d, data } = x;
  if (n === 0) throw new RangeError('explicitness: no train rows');
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += data[i * d + k];
  for (let k = 0; k < d; k++) mean[k] /= n;
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) scale[k] += (data[i * d + k] - mean[k]) ** 2;
  for (let k = 0; k < d; k++) {
    const std = Math.sqrt(scale[k] / n);
    // A constant column's std is rounding noise (the mean of equal values need not be exact): treat it as zero.
    scale[k] = std > 10 * Number.EPSILON * Math.max(1, Math.abs(mean[k])) ? std : 1;
  }
  return { mean, scale };
}

function standardise(x: Matrix, mean: Float64Array, scale: Float64Array): Matrix {
  const { rows: n, cols: d, data } = x;
  const out = matrix(n, d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) out.data[i * d + k] = (data[i * d + k] - mean[k]) / scale[k];
  return out;
}

function hasBothClasses(y: Uint8Array): boolean {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] === 1 ? 1 : 0;
  return pos > 0 && pos < y.length;
}
