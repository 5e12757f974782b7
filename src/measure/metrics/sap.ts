/**
 * SAP score (Kumar et al., ICLR 2018) for discrete factors as disentanglement_lib's `sap_score.py` with
 * continuous_factors=False: for every (code dimension, factor) pair a linear SVM is trained on that single dimension
 * (sklearn LinearSVC(C=0.01, class_weight='balanced')), its test accuracy fills a score matrix [codes x factors], and
 * SAP is the mean over factors of the gap between the two best codes.
 */
import { column, labelColumn, matrix, type LabelMatrix, type Matrix } from '../matrix.js';

/** LinearSVC's C in disentanglement_lib's SAP. */
export const SAP_SVM_C = 0.01;

/** A 1-D linear classifier: predicts class 1 where weight * x + bias > 0 (sklearn's convention; 0 means class 0). */
export interface LinearSvm1d {
  weight: number;
  bias: number;
}

/**
 * Fits LinearSVC(C, class_weight='balanced', loss='squared_hinge', penalty='l2') on one feature x [n] with labels
 * y [n] in {0, 1}: minimises 0.5 (w^2 + b^2) + C sum_i c_i max(0, 1 - t_i (w x_i + b))^2 with t_i = +-1 and
 * c_i = n / (2 n_class). The bias is regularised too, as liblinear treats it as a feature of constant 1
 * (intercept_scaling=1). Solved to optimality (liblinear stops at tol=1e-4) by Newton steps with backtracking: the
 * objective is a convex piecewise quadratic, so a full step on an unchanged set of margin violators lands on the exact
 * minimum and a handful of steps suffice. One class only (where sklearn refuses to fit): the constant classifier of
 * that class.
 */
export function fitLinearSvm1d(x: ArrayLike<number>, y: ArrayLike<number>, c = SAP_SVM_C): LinearSvm1d {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`svm: ${n} values but ${y.length} labels`);
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += y[i] === 1 ? 1 : 0;
  if (nPos === 0) return { weight: 0, bias: -1 };
  if (nPos === n) return { weight: 0, bias: 1 };
  const cPos = (c * n) / (2 * nPos);
  const cNeg = (c * n) / (2 * (n - nPos));
  const objective = (w: number, b: number): number => {
    let f = 0.5 * (w * w + b * b);
    for (let i = 0; i < n; i++) {
      const t = y[i] === 1 ? 1 : -1;
      const m = 1 - t * (w * x[i] + b);
      if (m > 0) f += (t > 0 ? cPos : cNeg) * m * m;
    }
    return f;
  };
  let w = 0;
  let b = 0;
  let f = objective(w, b);
  for (let iter = 0; iter < 200; iter++) {
    // Gradient and generalised Hessian (2x2) of the current active set.
    let gw = w;
    let gb = b;
    let hww = 1;
    let hwb = 0;
    let hbb = 1;
    for (let i = 0; i < n; i++) {
      const t = y[i] === 1 ? 1 : -1;
      const xi = x[i];
      const m = 1 - t * (w * xi + b);
      if (m <= 0) continue;
      const ci = t > 0 ? cPos : cNeg;
      gw -= 2 * ci * t * m * xi;
      gb -= 2 * ci * t * m;
      hww += 2 * ci * xi * xi;
      hwb += 2 * ci * xi;
      hbb += 2 * ci;
    }
    const det = hww * hbb - hwb * hwb;
    const dw = -(hbb * gw - hwb * gb) / det;
    const db = -(hww * gb - hwb * gw) / det;
    const slope = gw * dw + gb * db;
    if (!(slope < 0)) break; // at the optimum (zero gradient) or stalled by rounding
    let step = 1;
    let fNew = objective(w + dw, b + db);
    while (fNew > f + 1e-4 * step * slope && step > 1e-12) {
      step /= 2;
      fNew = objective(w + step * dw, b + step * db);
    }
    if (!(fNew < f)) break;
    w += step * dw;
    b += step * db;
    // A full Newton step on an unchanged active set lands on that piece's exact minimum; once the objective stops
    // moving beyond rounding, the solution is optimal.
    const done = f - fNew <= 1e-15 * Math.max(1, Math.abs(f));
    f = fNew;
    if (done) break;
  }
  return { weight: w, bias: b };
}

/** Fraction (0..1) of rows whose label y [n] in {0, 1} the 1-D classifier predicts from x [n]. */
export function svmAccuracy(model: LinearSvm1d, x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length === 0) throw new RangeError('svm accuracy: no rows');
  let hits = 0;
  for (let i = 0; i < x.length; i++) {
    const predicted = model.weight * x[i] + model.bias > 0 ? 1 : 0;
    if (predicted === y[i]) hits++;
  }
  return hits / x.length;
}

/**
 * SAP score matrix [codes x factors]: test accuracy of a 1-D LinearSVC trained on each code dimension for each
 * factor. Train and test codes are [users x codeDims], factors [users x factors] (0/1).
 */
export function sapScoreMatrix(
  trainCodes: Matrix,
  trainFactors: LabelMatrix,
  testCodes: Matrix,
  testFactors: LabelMatrix,
): Matrix {
  checkShapes(trainCodes, trainFactors, 'train');
  checkShapes(testCodes, testFactors, 'test');
  if (testCodes.cols !== trainCodes.cols || testFactors.cols !== trainFactors.cols) {
    throw new RangeError('sap: train and test differ in code dimensions or factors');
  }
  const nCodes = trainCodes.cols;
  const nFactors = trainFactors.cols;
  const scores = matrix(nCodes, nFactors);
  const yTrain = Array.from({ length: nFactors }, (_, j) => labelColumn(trainFactors, j));
  const yTest = Array.from({ length: nFactors }, (_, j) => labelColumn(testFactors, j));
  for (let i = 0; i < nCodes; i++) {
    const xTrain = column(trainCodes, i);
    const xTest = column(testCodes, i);
    for (let j = 0; j < nFactors; j++) {
      scores.data[i * nFactors + j] = svmAccuracy(fitLinearSvm1d(xTrain, yTrain[j]), xTest, yTest[j]);
    }
  }
  return scores;
}

/** Mean over factors of (best - second best) score in a score matrix [codes x factors] (needs >= 2 codes). */
export function sapFromScoreMatrix(scores: Matrix): number {
  const { rows: nCodes, cols: nFactors } = scores;
  if (nCodes < 2) throw new RangeError(`sap: needs at least 2 code dimensions, got ${nCodes}`);
  if (nFactors === 0) throw new RangeError('sap: no factors');
  let sum = 0;
  for (let j = 0; j < nFactors; j++) {
    let top = -Infinity;
    let second = -Infinity;
    for (let i = 0; i < nCodes; i++) {
      const v = scores.data[i * nFactors + j];
      if (v > top) {
        second = top;
        top = v;
      } else if (v > second) second = v;
    }
    sum += top - second;
  }
  return sum / nFactors;
}

/** SAP score in [0, 1] of codes against binary factors, with separate train and test rows; see sapScoreMatrix. */
export function sap(
  trainCodes: Matrix,
  trainFactors: LabelMatrix,
  testCodes: Matrix,
  testFactors: LabelMatrix,
): number {
  return sapFromScoreMatrix(sapScoreMatrix(trainCodes, trainFactors, testCodes, testFactors));
}

function checkShapes(codes: Matrix, factors: LabelMatrix, what: string): void {
  if (codes.rows !== factors.rows) {
    throw new RangeError(`sap: ${what} has ${codes.rows} code rows but ${factors.rows} factor rows`);
  }
}
