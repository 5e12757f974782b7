/**
 * DCI disentanglement and completeness (Eastwood & Williams, ICLR 2018) from an importance matrix, exactly as
 * disentanglement_lib's `dci.py` pure core: per-code and per-factor entropies of the normalised importances, weighted
 * by each code's / factor's share of the total importance.
 */
import type { Matrix } from '../matrix.js';

/** disentanglement_lib adds this to every importance before normalising, so an all-zero row is uniform, not 0/0. */
const SMOOTHING = 1e-11;

/** DCI's two importance-based scores, each in [0, 1] (1 = one code per factor / one factor per code). */
export interface DciScores {
  /** Importance-weighted mean over codes of 1 - H_F(code's importance over factors), entropy base = #factors. */
  disentanglement: number;
  /** Importance-weighted mean over factors of 1 - H_codes(factor's importance over codes), entropy base = #codes. */
  completeness: number;
}

/**
 * DCI disentanglement and completeness of `importance` [codes x factors] (>= 0, e.g. GBT feature importances).
 * A zero matrix scores 0 for both. With a single factor (codes) the base-1 entropy is undefined and every code
 * (factor) counts as fully disentangled (complete): 1.
 */
export function dciFromImportance(importance: Matrix): DciScores {
  const { rows: nCodes, cols: nFactors, data } = importance;
  if (nCodes === 0 || nFactors === 0) throw new RangeError(`dci: empty importance matrix ${nCodes} x ${nFactors}`);
  let total = 0;
  for (let k = 0; k < data.length; k++) {
    if (!(data[k] >= 0)) throw new RangeError(`dci: importance must be finite and >= 0, got ${data[k]} at ${k}`);
    total += data[k];
  }
  // disentanglement_lib's formula gives 1 - log(n)/log(n), i.e. 0 up to rounding; return the exact value instead.
  if (total === 0) return { disentanglement: 0, completeness: 0 };

  const rowSums = new Float64Array(nCodes);
  const colSums = new Float64Array(nFactors);
  for (let i = 0; i < nCodes; i++) {
    for (let j = 0; j < nFactors; j++) {
      rowSums[i] += data[i * nFactors + j];
      colSums[j] += data[i * nFactors + j];
    }
  }
  let disentanglement = 0;
  for (let i = 0; i < nCodes; i++) {
    const h = smoothedEntropy(nFactors, (j) => data[i * nFactors + j], nFactors);
    disentanglement += (rowSums[i] / total) * (1 - h);
  }
  let completeness = 0;
  for (let j = 0; j < nFactors; j++) {
    const h = smoothedEntropy(nCodes, (i) => data[i * nFactors + j], nCodes);
    completeness += (colSums[j] / total) * (1 - h);
  }
  return { disentanglement, completeness };
}

/** scipy.stats.entropy(values + 1e-11, base): Shannon entropy of the normalised vector in the given base; 0 for base 1. */
function smoothedEntropy(n: number, value: (k: number) => number, base: number): number {
  if (base === 1) return 0;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += value(k) + SMOOTHING;
  let h = 0;
  for (let k = 0; k < n; k++) {
    const p = (value(k) + SMOOTHING) / sum;
    if (p > 0) h -= p * Math.log(p);
  }
  return h / Math.log(base);
}
