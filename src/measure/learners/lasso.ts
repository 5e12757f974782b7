/**
 * Lasso regression of a 0/1 factor on the codes, the linear DCI variant: minimises scikit-learn's Lasso objective
 * 1/(2n) ||y - X w - b||^2 + alpha ||w||_1 by cyclic coordinate descent on centred data (the intercept is fitted,
 * not penalised), stopping as sklearn's cd_fast does: once the largest coefficient update is below tol x the largest
 * coefficient, the duality gap is checked against tol x ||y - mean||^2.
 */
import { z } from 'zod';

import type { Matrix } from '../matrix.js';
import type { BinaryClassifier } from './types.js';
import { checkPredictInput, checkTrainingInput, NotFittedError } from './types.js';

export const LassoConfig = z
  .object({
    alpha: z.number().nonnegative().default(0.01).describe('L1 weight (sklearn Lasso alpha)'),
    maxIter: z.number().int().positive().default(1000).describe('coordinate-descent sweeps at most'),
    tol: z.number().positive().default(1e-4).describe('stopping tolerance (sklearn tol)'),
  })
  .strict();
export type LassoConfig = z.infer<typeof LassoConfig>;

/** L1-penalised least squares on 0/1 labels; a BinaryClassifier whose probability is the clipped prediction. */
export class Lasso implements BinaryClassifier {
  readonly config: LassoConfig;
  /** Sweeps the last fit took. */
  nIter = 0;
  private coef: Float64Array | null = null;
  private intercept = 0;

  constructor(config: z.input<typeof LassoConfig> = {}) {
    this.config = LassoConfig.parse(config);
  }

  /** Fits w [cols] and b on x [rows x cols] and 0/1 labels y [rows]. */
  fit(x: Matrix, y: Uint8Array): void {
    checkTrainingInput('lasso', x, y);
    const { rows: n, cols: d } = x;
    const { alpha, maxIter, tol } = this.config;
    // Centred copy, column-major so each coordinate step reads one contiguous column.
    const xm = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xm[j] += x.data[i * d + j] / n;
    const xc = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xc[j * n + i] = x.data[i * d + j] - xm[j];
    let ym = 0;
    for (let i = 0; i < n; i++) ym += y[i] / n;
    const yc = Float64Array.from(y, (v) => v - ym);
    const norm2 = new Float64Array(d);
    for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) norm2[j] += xc[j * n + i] ** 2;
    const w = new Float64Array(d);
    const resid = Float64Array.from(yc);
    const l1 = alpha * n; // sklearn scales the penalty by n inside cd_fast
    const gapTol = tol * dot(yc, yc);
    this.nIter = maxIter;
    for (let it = 0; it < maxIter; it++) {
      let wMax = 0;
      let dwMax = 0;
      for (let j = 0; j < d; j++) {
        if (norm2[j] === 0) continue;
        const col = xc.subarray(j * n, (j + 1) * n);
        const old = w[j];
        let rho = 0;
        for (let i = 0; i < n; i++) rho += col[i] * (resid[i] + old * col[i]);
        const next = (Math.sign(rho) * Math.max(Math.abs(rho) - l1, 0)) / norm2[j];
        if (next !== old) for (let i = 0; i < n; i++) resid[i] -= (next - old) * col[i];
        w[j] = next;
        dwMax = Math.max(dwMax, Math.abs(next - old));
        wMax = Math.max(wMax, Math.abs(next));
      }
      if (wMax === 0 || dwMax / wMax < tol || it === maxIter - 1) {
        if (dualityGap(xc, n, d, yc, resid, w, l1) < gapTol) {
          this.nIter = it + 1;
          break;
        }
      }
    }
    this.coef = w;
    this.intercept = ym - dot(xm, w);
  }

  /** Linear prediction X w + b for x [rows x cols] -> [rows]. */
  predict(x: Matrix): Float64Array {
    const w = this.requireFitted();
    checkPredictInput('lasso', x, w.length);
    const out = new Float64Array(x.rows);
    for (let i = 0; i < x.rows; i++) {
      let s = this.intercept;
      for (let j = 0; j < w.length; j++) s += x.data[i * w.length + j] * w[j];
      out[i] = s;
    }
    return out;
  }

  /** The linear prediction clipped to [0, 1], read as P(y = 1) -> [rows]. */
  predictProba(x: Matrix): Float64Array {
    return this.predict(x).map((v) => Math.min(1, Math.max(0, v)));
  }

  /** |w| normalised to sum 1 -> [cols] (all zero when every coefficient is). */
  featureImportances(): Float64Array {
    const w = this.requireFitted();
    const out = w.map(Math.abs);
    const total = out.reduce((a, b) => a + b, 0);
    return total > 0 ? out.map((v) => v / total) : out;
  }

  /** The fitted coefficients w [cols] (a copy). */
  coefficients(): Float64Array {
    return this.requireFitted().slice();
  }

  /** The fitted intercept b. */
  interceptValue(): number {
    this.requireFitted();
    return this.intercept;
  }

  private requireFitted(): Float64Array {
    if (this.coef === null) throw new NotFittedError('lasso');
    return this.coef;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** sklearn cd_fast's duality gap of the (n-scaled) lasso at w with residual R = y - X w (l2 penalty 0). */
function dualityGap(
  xc: Float64Array,
  n: number,
  d: number,
  y: Float64Array,
  resid: Float64Array,
  w: Float64Array,
  l1: number,
): number {
  let dualNorm = 0;
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += xc[j * n + i] * resid[i];
    dualNorm = Math.max(dualNorm, Math.abs(s));
  }
  const rNorm2 = dot(resid, resid);
  let constant = 1;
  let gap = rNorm2;
  if (dualNorm > l1) {
    constant = l1 / dualNorm;
    gap = 0.5 * (rNorm2 + rNorm2 * constant * constant);
  }
  let wl1 = 0;
  for (let j = 0; j < d; j++) wl1 += Math.abs(w[j]);
  return gap + l1 * wl1 - constant * dot(resid, y);
}
