/**
 * Per-feature histograms of a tree node's rows over the bins of presort.ts: for each (feature, bin) cell the total
 * weight, row count, weighted target sum and sum of the positive weighted targets (the last bounds partial sums in
 * split.ts). These two kernels are the hot loops of tree fitting.
 */
import { MAX_BINS } from './presort.js';
import type { Presorted } from './presort.js';

const B = MAX_BINS;

/** Stride of one (feature, bin) cell in a histogram: weight, row count, sum of w y, sum of max(w y, 0). */
export const CELL = 4;

/** Histogram size in values for `cols` features. */
export function histSize(cols: number): number {
  return cols * MAX_BINS * CELL;
}

/** The node being split: rows[start, end) hold its rows and nodeOf[i] === id marks them. */
export interface NodeRows {
  id: number;
  start: number;
  end: number;
  /** Total weight, weighted target sum and row count of the node. */
  w: number;
  s: number;
  count: number;
}

/** Per-row inputs shared by every node of one tree. */
export interface RowData {
  /** Rows of every node, each node a segment in ascending row order. */
  rows: Int32Array;
  nodeOf: Int32Array;
  /** Per row, packed [in-sample (1 or 0), w, w y, max(w y, 0)] [rows x ROW]: one array keeps the hot loops lean. */
  stats: Float64Array;
  /** Smallest positive row weight. */
  wMin: number;
  /** Every row is in sample with weight 1 (lets the kernels skip the weight and count sums). */
  unit: boolean;
  minSamplesLeaf: number;
}

/** Stride of one row in RowData.stats. */
export const ROW = 4;

/**
 * Adds the node's rows to the histogram h of feature f (cells at f * MAX_BINS * CELL). Unrolled by four with every
 * load issued before the stores: a store to a data-dependent cell otherwise stalls the next rows' loads (2x slower).
 * With unit weights the weight cells are filled from the counts afterwards.
 */
export function accumulate(data: Presorted, h: Float64Array, f: number, node: NodeRows, r: RowData): void {
  const { rows, stats } = r;
  const bin = data.bin;
  const cb = f * data.rows;
  const hb = f * B * CELL;
  const end = node.end;
  const wOff = r.unit ? 1 : 0; // unit weights: add the weight into the count cell, then copy it
  let k = node.start;
  for (; k + 4 <= end; k += 4) {
    const i0 = rows[k];
    const i1 = rows[k + 1];
    const i2 = rows[k + 2];
    const i3 = rows[k + 3];
    const c0 = hb + bin[cb + i0] * CELL;
    const c1 = hb + bin[cb + i1] * CELL;
    const c2 = hb + bin[cb + i2] * CELL;
    const c3 = hb + bin[cb + i3] * CELL;
    const r0 = i0 * ROW;
    const r1 = i1 * ROW;
    const r2 = i2 * ROW;
    const r3 = i3 * ROW;
    const w0 = stats[r0 + 1];
    const w1 = stats[r1 + 1];
    const w2 = stats[r2 + 1];
    const w3 = stats[r3 + 1];
    const y0 = stats[r0 + 2];
    const y1 = stats[r1 + 2];
    const y2 = stats[r2 + 2];
    const y3 = stats[r3 + 2];
    const p0 = stats[r0 + 3];
    const p1 = stats[r1 + 3];
    const p2 = stats[r2 + 3];
    const p3 = stats[r3 + 3];
    h[c0 + wOff] += w0;
    h[c0 + 2] += y0;
    h[c0 + 3] += p0;
    h[c1 + wOff] += w1;
    h[c1 + 2] += y1;
    h[c1 + 3] += p1;
    h[c2 + wOff] += w2;
    h[c2 + 2] += y2;
    h[c2 + 3] += p2;
    h[c3 + wOff] += w3;
    h[c3 + 2] += y3;
    h[c3 + 3] += p3;
    if (wOff === 0) {
      h[c0 + 1] += 1;
      h[c1 + 1] += 1;
      h[c2 + 1] += 1;
      h[c3 + 1] += 1;
    }
  }
  for (; k < end; k++) {
    const i = rows[k];
    const c = hb + bin[cb + i] * CELL;
    h[c] += stats[i * ROW + 1];
    h[c + 1] += 1;
    h[c + 2] += stats[i * ROW + 2];
    h[c + 3] += stats[i * ROW + 3];
  }
  if (wOff === 1) for (let c = hb; c < hb + B * CELL; c += CELL) h[c] = h[c + 1];
}

/**
 * The histogram of feature f over all in-sample rows (a root), as running sums along f's sorted order: bins are
 * contiguous there, so no row needs a store. When every row is in sample with weight 1 the counts are the bin sizes.
 */
export function accumulateAll(data: Presorted, h: Float64Array, f: number, r: RowData, allUnit: boolean): void {
  const { order, binStart } = data;
  const stats = r.stats;
  const cb = f * data.rows;
  const bs = f * (B + 1);
  const hb = f * B * CELL;
  const nb = data.nBins[f];
  for (let b = 0; b < nb; b++) {
    let sc = 0;
    let sw = 0;
    let ss = 0;
    let sp = 0;
    const start = binStart[bs + b];
    const end = binStart[bs + b + 1];
    if (allUnit) {
      sc = sw = end - start;
      for (let q = start; q < end; q++) {
        const o = order[cb + q] * ROW;
        ss += stats[o + 2];
        sp += stats[o + 3];
      }
    } else {
      for (let q = start; q < end; q++) {
        const o = order[cb + q] * ROW;
        sc += stats[o];
        sw += stats[o + 1];
        ss += stats[o + 2];
        sp += stats[o + 3];
      }
    }
    const c = hb + b * CELL;
    h[c] = sw;
    h[c + 1] = sc;
    h[c + 2] = ss;
    h[c + 3] = sp;
  }
}
