/**
 * Sample-weighted ridge regression in float64 (sklearn Ridge(alpha, fit_intercept=True) with sample_weight), solved
 * through the normal equations with a small dense Cholesky. Sized for LIME's local surrogates: a few hundred rows and
 * up to a few hundred mostly-zero (binary) columns.
 */
import { NotPositiveDefiniteError } from '../../engine/linalg.js';
import type { Matrix } from '../matrix.js';

/** A fitted linear model y ~ x . coef + intercept. */
export interface RidgeModel {
  /** [cols] */
  coef: Float64Array;
  intercept: number;
}

/**
 * Minimises sum_i w_i (y_i - x_i . coef - intercept)^2 + alpha ||coef||^2 for x [rows x cols], y [rows], w [rows]
 * (>= 0, not all 0): x and y are centred at their weighted means (so the intercept is unpenalised) and
 * (Xc^T W Xc + alpha I) coef = Xc^T W yc is solved by Cholesky. Zero entries of x are skipped when forming the Gram
 * matrix, which makes sparse or binary designs cheap.
 */
export function fitWeightedRidge(x: Matrix, y: ArrayLike<number>, w: ArrayLike<number>, alpha: number): RidgeModel {
  if (y.length !== x.rows) throw new RangeError(`ridge: ${x.rows} rows but ${y.length} targets, ${w.length} weights`);
  return weightedRidgeSystem(x, w, alpha).solve(y);
}

/** A factorised weighted ridge problem: one design and weights, any number of targets. */
export interface WeightedRidgeSystem {
  /** The ridge fit for targets y [rows]. */
  solve(y: ArrayLike<number>): RidgeModel;
}

/**
 * Forms and factorises (Xc^T W Xc + alpha I) once for x [rows x cols] and weights w [rows], so that several targets
 * (LIME explaining several classifiers on the same perturbations) cost only a right-hand side and two triangular solves.
 */
export function weightedRidgeSystem(x: Matrix, w: ArrayLike<number>, alpha: number): WeightedRidgeSystem {
  const { rows: n, cols: d, data } = x;
  if (w.length !== n) throw new RangeError(`ridge: ${n} rows but ${w.length} weights`);
  const gram = new Float64Array(d * d); // upper triangle of X^T W X
  const xw = new Float64Array(d); // X^T w
  let sw = 0;
  // The non-zero entries of x by row (CSR), kept for the right-hand sides.
  const indptr = new Int32Array(n + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  const nz = new Int32Array(d);
  const nzv = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    if (!(wi >= 0)) throw new RangeError(`ridge: weight ${wi} at row ${i} is not >= 0`);
    const o = i * d;
    let count = 0;
    for (let k = 0; k < d; k++) {
      const v = data[o + k];
      if (v !== 0) {
        nz[count] = k;
        nzv[count++] = v;
      }
    }
    for (let a = 0; a < count; a++) {
      cols.push(nz[a]);
      vals.push(nzv[a]);
    }
    indptr[i + 1] = cols.length;
    if (wi === 0) continue;
    sw += wi;
    for (let a = 0; a < count; a++) {
      const ka = nz[a];
      const va = wi * nzv[a];
      xw[ka] += va;
      const row = ka * d;
      for (let b = a; b < count; b++) gram[row + nz[b]] += va * nzv[b];
    }
  }
  if (!(sw > 0)) throw new RangeError('ridge: all sample weights are zero');
  const xMean = new Float64Array(d);
  for (let k = 0; k < d; k++) xMean[k] = xw[k] / sw;
  // Centred system, full symmetric matrix: Gc = G - sw m m^T + alpha I.
  const a = new Float64Array(d * d);
  for (let r = 0; r < d; r++) {
    for (let c = r; c < d; c++) {
      const v = gram[r * d + c] - sw * xMean[r] * xMean[c];
      a[r * d + c] = v;
      a[c * d + r] = v;
    }
    a[r * d + r] += alpha;
  }
  choleskyFactor(a, d);
  return {
    solve(y) {
      if (y.length !== n) throw new RangeError(`ridge: ${n} rows but ${y.length} targets`);
      // rhs = X^T W y - sw m ybar
      const rhs = new Float64Array(d);
      let swy = 0;
      for (let i = 0; i < n; i++) {
        const wy = w[i] * y[i];
        if (wy === 0) continue;
        swy += wy;
        for (let p = indptr[i]; p < indptr[i + 1]; p++) rhs[cols[p]] += wy * vals[p];
      }
      const yMean = swy / sw;
      for (let k = 0; k < d; k++) rhs[k] -= sw * xMean[k] * yMean;
      const coef = choleskySolveFactored(a, d, rhs);
      let intercept = yMean;
      for (let k = 0; k < d; k++) intercept -= xMean[k] * coef[k];
      return { coef, intercept };
    },
  };
}

/**
 * Solves a x = b for symmetric positive definite a [n x n] (row-major float64; overwritten by its Cholesky factor);
 * returns x [n] (b is overwritten too). Throws NotPositiveDefiniteError on a non-positive pivot.
 */
export function choleskySolve(a: Float64Array, n: number, b: Float64Array): Float64Array {
  choleskyFactor(a, n);
  return choleskySolveFactored(a, n, b);
}

/** Overwrites the lower triangle of SPD a [n x n] (row-major) with its Cholesky factor L (a = L L^T). */
export function choleskyFactor(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let diag = a[rj + j];
    for (let k = 0; k < j; k++) diag -= a[rj + k] * a[rj + k];
    if (!(diag > 0)) throw new NotPositiveDefiniteError(j, diag);
    const ljj = Math.sqrt(diag);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      // Four partial sums: breaks the add dependency chain of this O(n^3) loop (about twice as fast in V8).
      let s0 = a[ri + j];
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = 0;
      for (; k + 3 < j; k += 4) {
        s0 -= a[ri + k] * a[rj + k];
        s1 -= a[ri + k + 1] * a[rj + k + 1];
        s2 -= a[ri + k + 2] * a[rj + k + 2];
        s3 -= a[ri + k + 3] * a[rj + k + 3];
      }
      for (; k < j; k++) s0 -= a[ri + k] * a[rj + k];
      a[ri + j] = (s0 + s1 + s2 + s3) / ljj;
    }
  }
}

/** Solves L L^T x = b for the factor left by choleskyFactor in a [n x n]; b [n] is overwritten and returned. */
export function choleskySolveFactored(a: Float64Array, n: number, b: Float64Array): Float64Array {
  // L z = b, then L^T x = z.
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= a[i * n + k] * b[k];
    b[i] = s / a[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= a[k * n + i] * b[k];
    b[i] = s / a[i * n + i];
  }
  return b;
}
