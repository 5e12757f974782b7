/**
 * One-off preparation of a training matrix for the tree learners: every column sorted, and its sorted values cut
 * into at most MAX_BINS runs of about equal size. The bins only make split search cheap (histograms bound where the
 * best split can be); splits themselves are found exactly on the sorted values (see split.ts).
 */
import type { Matrix } from '../matrix.js';
import { LearnerInputError } from './types.js';

/** Most bins per column (bin ids fit a byte). */
export const MAX_BINS = 128;

/** sklearn's FEATURE_THRESHOLD: values closer than this are never split apart. */
export const FEATURE_THRESHOLD = 1e-7;

/** A matrix with each column's rows sorted, computed once and shared by every tree fitted on it. */
export interface Presorted {
  rows: number;
  cols: number;
  /** x column-major [cols x rows], rounded to float32 as scikit-learn's trees see their input. */
  colMajor: Float64Array;
  /** Per column, row indices by ascending value, ties by row index [cols x rows]. */
  order: Int32Array;
  /** Per column, the values in that order [cols x rows]. */
  sorted: Float64Array;
  /** Per column, each row's position in that order (the inverse of `order`) [cols x rows]. */
  rank: Int32Array;
  /** Per column, the bin of each row [cols x rows]. */
  bin: Uint8Array;
  /** Per column, where each bin starts in the sorted order [cols x (MAX_BINS + 1)]; unused bins start at `rows`. */
  binStart: Int32Array;
  /** Bins used per column [cols]. */
  nBins: Int32Array;
}

/**
 * Sorts every column of x [rows x cols] (ascending, ties by row index) and bins it; rejects non-finite values. Values
 * are rounded to float32 first: scikit-learn's trees convert X to float32 (DTYPE), so thresholds are midpoints of
 * float32 values and rows are routed by their float32 value; doing the same keeps splits identical to sklearn's. A bin
 * boundary only falls where consecutive sorted values differ by more than 1e-7, so a split between two bins is always
 * a valid sklearn candidate; a column with at most MAX_BINS such runs gets one bin per run.
 */
export function presort(x: Matrix): Presorted {
  const { rows: n, cols: f } = x;
  const colMajor = new Float64Array(n * f);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) {
      const v = x.data[i * f + j];
      if (!Number.isFinite(v)) throw new LearnerInputError(`presort: non-finite value at row ${i}, col ${j}`);
      colMajor[j * n + i] = Math.fround(v);
    }
  }
  const order = new Int32Array(n * f);
  const sorted = new Float64Array(n * f);
  const rank = new Int32Array(n * f);
  const bin = new Uint8Array(n * f);
  const binStart = new Int32Array(f * (MAX_BINS + 1)).fill(n);
  const nBins = new Int32Array(f);
  const fill = new Int32Array(n);
  for (let j = 0; j < f; j++) {
    const cb = j * n;
    const col = colMajor.subarray(cb, cb + n);
    // Native numeric sort of the values, then each row (in index order, so ties stay stable) takes the next free
    // slot of its value's run: far faster than sorting indices with a comparator.
    const vals = col.slice().sort();
    fill.fill(0);
    for (let i = 0; i < n; i++) {
      const v = col[i];
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (vals[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      order[cb + lo + fill[lo]++] = i;
    }
    for (let q = 0; q < n; q++) {
      sorted[cb + q] = col[order[cb + q]];
      rank[cb + order[cb + q]] = q;
    }
    nBins[j] = binColumn(sorted.subarray(cb, cb + n), binStart.subarray(j * (MAX_BINS + 1), (j + 1) * (MAX_BINS + 1)));
    for (let b = 0; b < nBins[j]; b++) {
      const end = binStart[j * (MAX_BINS + 1) + b + 1];
      for (let q = binStart[j * (MAX_BINS + 1) + b]; q < end; q++) bin[cb + order[cb + q]] = b;
    }
  }
  return { rows: n, cols: f, colMajor, order, sorted, rank, bin, binStart, nBins };
}

/** Cuts one sorted column into bins (writes their starts, the last one followed by n); returns the bin count. */
function binColumn(sorted: Float64Array, starts: Int32Array): number {
  const n = sorted.length;
  let runs = 1;
  for (let q = 1; q < n; q++) if (sorted[q] > sorted[q - 1] + FEATURE_THRESHOLD) runs++;
  let count = 0;
  let lastKey = -1;
  for (let q = 0; q < n; q++) {
    if (q > 0 && !(sorted[q] > sorted[q - 1] + FEATURE_THRESHOLD)) continue;
    // A run starts here: it opens a new bin if it is one of few runs, or if it crosses the next quantile boundary.
    const key = runs <= MAX_BINS ? q : Math.floor((q * MAX_BINS) / n);
    if (key !== lastKey) {
      starts[count++] = q;
      lastKey = key;
    }
  }
  starts[count] = n;
  return count;
}
