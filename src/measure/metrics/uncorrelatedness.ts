/**
 * Uncorrelatedness of a representation: 1 - mean |Pearson correlation| over all pairs of code dimensions, so 1 means
 * linearly uncorrelated dimensions and 0 means every pair is perfectly (anti-)correlated.
 */
import type { Matrix } from '../matrix.js';

/**
 * 1 - mean over dimension pairs i < j of |Pearson corr(z_i, z_j)| across the rows of `codes` [users x codeDims]; in
 * [0, 1]. A constant column has no defined correlation; it is taken as uncorrelated (0) with every other column,
 * rather than NaN, so one dead dimension does not erase the score. Fewer than two columns: 1 (no pair to correlate).
 */
export function uncorrelatedness(codes: Matrix): number {
  const { rows: n, cols: d, data } = codes;
  if (d < 2) return 1;
  if (n < 2) throw new RangeError(`uncorrelatedness: need at least 2 rows, got ${n}`);
  // Columns centred and scaled to unit norm, stored column-major so each pair is one contiguous dot product.
  const unit = new Float64Array(n * d);
  const constant = new Uint8Array(d);
  for (let j = 0; j < d; j++) {
    let mean = 0;
    const first = data[j];
    let allEqual = true;
    for (let i = 0; i < n; i++) {
      const v = data[i * d + j];
      mean += v;
      if (v !== first) allEqual = false;
    }
    // Tested by equality rather than by a zero norm: the mean of identical values can round, leaving ~1e-17 residues
    // whose "correlations" would be noise.
    if (allEqual) {
      constant[j] = 1;
      continue;
    }
    mean /= n;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const c = data[i * d + j] - mean;
      unit[j * n + i] = c;
      norm += c * c;
    }
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < n; i++) unit[j * n + i] *= scale;
  }
  let sumAbs = 0;
  for (let a = 0; a < d; a++) {
    if (constant[a]) continue;
    for (let b = a + 1; b < d; b++) {
      if (constant[b]) continue;
      let dot = 0;
      const oa = a * n;
      const ob = b * n;
      for (let i = 0; i < n; i++) dot += unit[oa + i] * unit[ob + i];
      sumAbs += Math.min(1, Math.abs(dot));
    }
  }
  return 1 - sumAbs / ((d * (d - 1)) / 2);
}
