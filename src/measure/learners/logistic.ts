/**
 * L2-regularised binary logistic regression with sklearn's objective (LogisticRegression(penalty='l2', C)):
 * C * sum_i logloss_i + 0.5 ||w||^2 with an unpenalised intercept, minimised by L-BFGS to a tight gradient tolerance.
 * Used by the explicitness metric (a classifier per factor on all code dimensions).
 */
import type { Matrix } from '../matrix.js';

/** A fitted model: P(y = 1 | x) = sigmoid(x . weights + intercept). */
export interface LogisticModel {
  /** One weight per input column [cols]. */
  weights: Float64Array;
  intercept: number;
}

/** Solver settings; the defaults reproduce sklearn's LogisticRegression() objective (C = 1). */
export interface LogisticOptions {
  /** Inverse regularisation strength (sklearn's C). */
  c?: number;
  /** Stop when the largest gradient entry is below this times max(1, C * rows). */
  gradientTolerance?: number;
  maxIterations?: number;
  /** Number of correction pairs L-BFGS keeps. */
  history?: number;
}

/**
 * Fits P(y=1|x) on x [rows x cols] and labels y [rows] in {0, 1}; minimises C * sum logloss + 0.5 ||w||^2 (intercept
 * not penalised). The objective is strictly convex, so L-BFGS with Armijo backtracking converges to its unique
 * optimum; it stops at the gradient tolerance or when rounding prevents further decrease.
 */
export function fitLogisticRegression(x: Matrix, y: ArrayLike<number>, options: LogisticOptions = {}): LogisticModel {
  const { rows: n, cols: d } = x;
  if (y.length !== n) throw new RangeError(`logistic: ${n} rows but ${y.length} labels`);
  const c = options.c ?? 1;
  const tol = (options.gradientTolerance ?? 1e-8) * Math.max(1, c * n);
  const maxIterations = options.maxIterations ?? 2000;
  const m = options.history ?? 10;
  const p = d + 1; // parameters: the weights, then the intercept
  const z = new Float64Array(n);
  const evaluate = (theta: Float64Array, grad: Float64Array): number => logisticObjective(x, y, c, theta, grad, z);

  let theta = new Float64Array(p);
  let grad = new Float64Array(p);
  let f = evaluate(theta, grad);
  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rhoHist: number[] = [];
  const alpha = new Float64Array(m);
  const dir = new Float64Array(p);
  let nextTheta = new Float64Array(p);
  let nextGrad = new Float64Array(p);
  for (let iter = 0; iter < maxIterations && maxAbs(grad) > tol; iter++) {
    // Two-loop recursion: dir = -H_k grad.
    for (let k = 0; k < p; k++) dir[k] = -grad[k];
    for (let h = sHist.length - 1; h >= 0; h--) {
      alpha[h] = rhoHist[h] * dot(sHist[h], dir);
      axpy(-alpha[h], yHist[h], dir);
    }
    const last = sHist.length - 1;
    const gamma = last >= 0 ? 1 / (rhoHist[last] * dot(yHist[last], yHist[last])) : 1 / Math.max(1, maxAbs(grad));
    for (let k = 0; k < p; k++) dir[k] *= gamma;
    for (let h = 0; h < sHist.length; h++) axpy(alpha[h] - rhoHist[h] * dot(yHist[h], dir), sHist[h], dir);

    const slope = dot(grad, dir);
    if (!(slope < 0)) break;
    let step = 1;
    let fNew = Infinity;
    for (let tries = 0; tries < 50; tries++, step /= 2) {
      for (let k = 0; k < p; k++) nextTheta[k] = theta[k] + step * dir[k];
      fNew = evaluate(nextTheta, nextGrad);
      if (fNew <= f + 1e-4 * step * slope) break;
    }
    if (!(fNew < f)) break; // no decrease representable in float64: as converged as it gets
    const s = new Float64Array(p);
    const yk = new Float64Array(p);
    for (let k = 0; k < p; k++) {
      s[k] = nextTheta[k] - theta[k];
      yk[k] = nextGrad[k] - grad[k];
    }
    const sy = dot(s, yk);
    if (sy > 1e-16 * dot(yk, yk)) {
      if (sHist.length === m) {
        sHist.shift();
        yHist.shift();
        rhoHist.shift();
      }
      sHist.push(s);
      yHist.push(yk);
      rhoHist.push(1 / sy);
    }
    [theta, nextTheta] = [nextTheta, theta];
    [grad, nextGrad] = [nextGrad, grad];
    f = fNew;
  }
  return { weights: theta.slice(0, d), intercept: theta[d] };
}

/** P(y = 1) for each row of x [rows x cols] under the model; [rows]. */
export function logisticProbabilities(model: LogisticModel, x: Matrix): Float64Array {
  const { rows: n, cols: d } = x;
  if (model.weights.length !== d)
    throw new RangeError(`logistic: model has ${model.weights.length} weights, x ${d} cols`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let zi = model.intercept;
    for (let k = 0; k < d; k++) zi += x.data[i * d + k] * model.weights[k];
    out[i] = sigmoid(zi);
  }
  return out;
}

/**
 * sklearn's objective C * sum_i [log(1 + e^{z_i}) - y_i z_i] + 0.5 ||w||^2 at theta = [w, b] (z = x w + b); writes its
 * gradient [cols + 1] into `grad`. `z` is scratch space [rows].
 */
function logisticObjective(
  x: Matrix,
  y: ArrayLike<number>,
  c: number,
  theta: Float64Array,
  grad: Float64Array,
  z: Float64Array,
): number {
  const { rows: n, cols: d, data } = x;
  const b = theta[d];
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let zi = b;
    const o = i * d;
    for (let k = 0; k < d; k++) zi += data[o + k] * theta[k];
    z[i] = zi;
    loss += softplus(zi) - (y[i] === 1 ? zi : 0);
  }
  grad.fill(0);
  for (let i = 0; i < n; i++) {
    const r = c * (sigmoid(z[i]) - (y[i] === 1 ? 1 : 0));
    const o = i * d;
    for (let k = 0; k < d; k++) grad[k] += r * data[o + k];
    grad[d] += r;
  }
  let penalty = 0;
  for (let k = 0; k < d; k++) {
    penalty += theta[k] * theta[k];
    grad[k] += theta[k];
  }
  return c * loss + 0.5 * penalty;
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let k = 0; k < x.length; k++) y[k] += a * x[k];
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]));
  return m;
}
