/**
 * Mutual Information Gap (Chen et al., NeurIPS 2018) as disentanglement_lib's `mig.py`: each code dimension is
 * discretised into equal-width histogram bins, its mutual information with every factor is measured (nats), and MIG
 * is the mean over factors of the gap between the two most informative codes, normalised by the factor's entropy.
 * The discretiser and the MI matrix are shared with modularity.
 */
import { matrix, type LabelMatrix, type Matrix } from '../matrix.js';

/** disentanglement_lib's default number of histogram bins per code dimension. */
export const DEFAULT_NUM_BINS = 20;

/**
 * Bin index in 1..numBins of each value, as disentanglement_lib's `_histogram_discretize`:
 * np.digitize(x, np.histogram(x, numBins)[1][:-1]). Bins are equal-width between min and max (min - 0.5 and
 * max + 0.5 for a constant input, as np.histogram); the maximum falls in the last bin. Values must be finite.
 */
export function histogramDiscretize(values: ArrayLike<number>, numBins = DEFAULT_NUM_BINS): Int32Array {
  const n = values.length;
  if (!(Number.isInteger(numBins) && numBins >= 1)) throw new RangeError(`histogramDiscretize: bad numBins ${numBins}`);
  if (n === 0) return new Int32Array(0);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new RangeError(`histogramDiscretize: value ${v} at ${i} is not finite`);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  // The left edges exactly as np.linspace(lo, hi, numBins + 1)[:-1] computes them (i * step + start), so values on
  // an edge land in the same bin as in NumPy.
  const delta = hi - lo;
  const step = delta / numBins;
  const edges = new Float64Array(numBins);
  for (let k = 0; k < numBins; k++) edges[k] = step === 0 ? (k / numBins) * delta + lo : k * step + lo;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // np.digitize(right=False) on increasing edges = searchsorted(side='right') = number of edges <= value.
    const v = values[i];
    let a = 0;
    let b = numBins;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (edges[mid] <= v) a = mid + 1;
      else b = mid;
    }
    out[i] = a;
  }
  return out;
}

/** Shannon entropy (nats) of a labelling by non-negative integers; equals sklearn's mutual_info_score(y, y). */
export function discreteEntropy(labels: ArrayLike<number>): number {
  return discreteMutualInformation(labels, labels);
}

/**
 * Mutual information (nats) between two labellings of the same items by non-negative integers, as sklearn's
 * mutual_info_score (the empirical joint distribution; clipped at 0 against rounding).
 */
export function discreteMutualInformation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`mutual information: labellings differ in length (${n} vs ${b.length})`);
  if (n === 0) return 0;
  const ka = maxLabel(a) + 1;
  const kb = maxLabel(b) + 1;
  const joint = new Float64Array(ka * kb);
  for (let i = 0; i < n; i++) joint[a[i] * kb + b[i]] += 1;
  return mutualInformationFromCounts(joint, ka, kb, n);
}

/**
 * Mutual information (nats) between each discretised code dimension and each binary factor: [codes x factors], as
 * disentanglement_lib's discrete_mutual_info(_histogram_discretize(codes), factors). codes: [users x codeDims];
 * factors: [users x factors].
 */
export function mutualInformationMatrix(codes: Matrix, factors: LabelMatrix, numBins = DEFAULT_NUM_BINS): Matrix {
  const n = codes.rows;
  if (factors.rows !== n) throw new RangeError(`mutual information: ${n} code rows but ${factors.rows} factor rows`);
  const nCodes = codes.cols;
  const nFactors = factors.cols;
  const out = matrix(nCodes, nFactors);
  const column = new Float64Array(n);
  const joint = new Float64Array((numBins + 1) * 2);
  for (let i = 0; i < nCodes; i++) {
    for (let r = 0; r < n; r++) column[r] = codes.data[r * nCodes + i];
    const bins = histogramDiscretize(column, numBins);
    for (let j = 0; j < nFactors; j++) {
      joint.fill(0);
      for (let r = 0; r < n; r++) {
        const y = factors.data[r * nFactors + j];
        if (y > 1) throw new RangeError(`mutual information: factor ${j} has non-binary value ${y} at row ${r}`);
        joint[bins[r] * 2 + y] += 1;
      }
      out.data[i * nFactors + j] = mutualInformationFromCounts(joint, numBins + 1, 2, n);
    }
  }
  return out;
}

/**
 * MIG from a mutual-information matrix [codes x factors] (nats) and each factor's entropy (nats): mean over factors
 * of (largest - second largest MI) / entropy. Factors with zero entropy (constant over the users) carry no
 * information to capture and would divide by zero (NaN in disentanglement_lib); they are skipped. NaN when every
 * factor is constant.
 */
export function migFromMutualInformation(mi: Matrix, factorEntropy: ArrayLike<number>): number {
  const { rows: nCodes, cols: nFactors } = mi;
  if (factorEntropy.length !== nFactors) {
    throw new RangeError(`mig: ${nFactors} factors in the MI matrix but ${factorEntropy.length} entropies`);
  }
  if (nCodes < 2) throw new RangeError(`mig: needs at least 2 code dimensions, got ${nCodes}`);
  let sum = 0;
  let counted = 0;
  for (let j = 0; j < nFactors; j++) {
    if (!(factorEntropy[j] > 0)) continue;
    let top = -Infinity;
    let second = -Infinity;
    for (let i = 0; i < nCodes; i++) {
      const v = mi.data[i * nFactors + j];
      if (v > top) {
        second = top;
        top = v;
      } else if (v > second) second = v;
    }
    sum += (top - second) / factorEntropy[j];
    counted++;
  }
  return counted === 0 ? NaN : sum / counted;
}

/** MIG of codes [users x codeDims] against binary factors [users x factors], in [0, 1]; see migFromMutualInformation. */
export function mig(codes: Matrix, factors: LabelMatrix, numBins = DEFAULT_NUM_BINS): number {
  const mi = mutualInformationMatrix(codes, factors, numBins);
  const entropy = new Float64Array(factors.cols);
  const y = new Uint8Array(factors.rows);
  for (let j = 0; j < factors.cols; j++) {
    for (let r = 0; r < factors.rows; r++) y[r] = factors.data[r * factors.cols + j];
    entropy[j] = discreteEntropy(y);
  }
  return migFromMutualInformation(mi, entropy);
}

/** I(A; B) in nats from a joint count table [ka x kb] over n items. */
function mutualInformationFromCounts(joint: Float64Array, ka: number, kb: number, n: number): number {
  const pa = new Float64Array(ka);
  const pb = new Float64Array(kb);
  for (let x = 0; x < ka; x++) {
    for (let y = 0; y < kb; y++) {
      pa[x] += joint[x * kb + y];
      pb[y] += joint[x * kb + y];
    }
  }
  let mi = 0;
  for (let x = 0; x < ka; x++) {
    for (let y = 0; y < kb; y++) {
      const c = joint[x * kb + y];
      // p_xy log(p_xy / (p_x p_y)) with the counts' n's cancelled: (c/n) log(c n / (c_x c_y)).
      if (c > 0) mi += (c / n) * Math.log((c * n) / (pa[x] * pb[y]));
    }
  }
  return Math.max(0, mi);
}

function maxLabel(labels: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (!(Number.isInteger(v) && v >= 0))
      throw new RangeError(`mutual information: label ${v} at ${i} is not a non-negative integer`);
    if (v > max) max = v;
  }
  return max;
}
