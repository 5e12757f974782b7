/**
 * Jensen-Shannon distances between importance distributions: the interpretability score of Dervishaj et al.
 * (ECIR 2025), where each factor's importance over the code dimensions is a distribution and factors explained by
 * different dimensions are far apart.
 */
import type { Matrix } from '../matrix.js';

/** Added to each column sum before normalising, as the study does (keeps a zero column at zero instead of 0/0). */
const COLUMN_EPS = 1e-12;

/**
 * Jensen-Shannon distance in [0, 1] between two non-negative vectors of equal length, base 2, as
 * scipy.spatial.distance.jensenshannon(p, q, base=2): both are normalised to sum 1, then
 * sqrt((KL(p || m) + KL(q || m)) / 2) with m = (p + q) / 2. Rounding can push the divergence a hair below 0; it is
 * clamped there (scipy would return NaN). Throws for a zero vector, which is not a distribution.
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const n = p.length;
  if (q.length !== n) throw new RangeError(`jensen-shannon: lengths differ (${n} vs ${q.length})`);
  const sp = sumNonNegative(p, 'p');
  const sq = sumNonNegative(q, 'q');
  if (sp === 0 || sq === 0) throw new RangeError('jensen-shannon: a zero vector is not a distribution');
  let divergence = 0;
  for (let k = 0; k < n; k++) {
    const pk = p[k] / sp;
    const qk = q[k] / sq;
    const mk = (pk + qk) / 2;
    if (pk > 0) divergence += pk * Math.log(pk / mk);
    if (qk > 0) divergence += qk * Math.log(qk / mk);
  }
  return Math.sqrt(Math.max(0, divergence / 2 / Math.LN2));
}

/**
 * Mean Jensen-Shannon distance (base 2) over factor pairs i < j of importance [codes x factors]: each factor's column
 * divided by (column sum + 1e-12) is its distribution over code dimensions. In [0, 1]; higher means factors are
 * explained by different dimensions. A factor with zero importance everywhere has no distribution (scipy gives NaN);
 * its pairs are skipped. NaN when fewer than two factors have any importance.
 */
export function meanPairwiseJsDistance(importance: Matrix): number {
  const { rows: nCodes, cols: nFactors, data } = importance;
  const columns: Float64Array[] = [];
  for (let j = 0; j < nFactors; j++) {
    const col = new Float64Array(nCodes);
    let sum = 0;
    for (let i = 0; i < nCodes; i++) {
      col[i] = data[i * nFactors + j];
      sum += col[i];
    }
    if (!(sum > 0)) continue;
    for (let i = 0; i < nCodes; i++) col[i] /= sum + COLUMN_EPS;
    columns.push(col);
  }
  if (columns.length < 2) return NaN;
  let total = 0;
  let pairs = 0;
  for (let a = 0; a < columns.length; a++) {
    for (let b = a + 1; b < columns.length; b++) {
      total += jensenShannonDistance(columns[a], columns[b]);
      pairs++;
    }
  }
  return total / pairs;
}

function sumNonNegative(v: ArrayLike<number>, name: string): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) {
    if (!(v[k] >= 0))
      throw new RangeError(`jensen-shannon: ${name}[${k}] = ${v[k]} is not a finite non-negative value`);
    s += v[k];
  }
  return s;
}
