/**
 * Exact best-split search for one tree node, fast because it rarely looks at single rows. A histogram per feature
 * (weight, count, target sum and positive-target sum of the node's rows in each bin of presort.ts) gives the exact
 * Friedman proxy (wR sL - wL sR)^2 / (wL wR) at every bin boundary; for the splits inside a bin it gives an upper
 * bound (|W sL - wL S| is largest at a corner of the box the partial sums can reach, wL (W - wL) smallest at an end).
 * Only bins whose bound reaches the best proxy found so far are scanned row by row in sorted order, so the result
 * equals a full scan of every candidate: the same split as scikit-learn's exhaustive splitter, with ties going to
 * the lowest feature, then the lowest position (sklearn breaks ties by a random feature order).
 */
import type { Rng } from '../../engine/rng.js';
import { FEATURE_THRESHOLD, MAX_BINS } from './presort.js';
import type { Presorted } from './presort.js';

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

const B = MAX_BINS;
const BOUND_SLACK = 1e-9; // relative: a bound computed with different rounding must not hide a candidate

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

/** Finds best splits; holds scratch memory reused across nodes and trees. */
export class SplitFinder {
  private readonly data: Presorted;
  // Per (feature, bin), packed: weight, target sum and row count of the node left of the bin, and the bound on
  // splits inside the bin (-1 when there are none) [cols x bins x 4].
  private readonly inBin: Float64Array;
  private readonly one: Float64Array; // a single feature's histogram (random feature subsets)
  private readonly pool: Int32Array;
  private readonly visited: Int32Array;
  private readonly cand: Int32Array; // (feature, bin) cells to refine, as feature * MAX_BINS + bin
  // The best split so far: proxy, feature, position in the sorted column of its first right-hand row, and either the
  // values either side of it or (bestBin >= 0) the bins whose node rows hold them.
  private best = -Infinity;
  private bestF = -1;
  private bestPos = -1;
  private bestLo = 0;
  private bestHi = 0;
  private bestBin = -1;
  private bestPrevBin = -1;

  constructor(data: Presorted) {
    this.data = data;
    this.inBin = new Float64Array(data.cols * B * 4);
    this.one = new Float64Array(histSize(data.cols));
    this.pool = Int32Array.from({ length: data.cols }, (_, j) => j);
    this.visited = new Int32Array(data.cols);
    this.cand = new Int32Array(data.cols * B);
  }

  /**
   * Best split of a node as [feature, threshold] or null. With `hist` (all features' histograms of the node) every
   * feature is considered; otherwise features are drawn at random until maxFeatures non-constant ones were seen.
   */
  find(node: NodeRows, r: RowData, hist: Float64Array | null, maxFeatures: number, rng?: Rng): [number, number] | null {
    const nf = this.data.cols;
    this.best = -Infinity;
    this.bestF = -1;
    this.bestPos = -1;
    let seen = 0;
    for (let draw = 0; draw < nf && seen < maxFeatures; draw++) {
      let f = draw;
      let h = hist;
      if (h === null) {
        const pick = draw + rng!.int(nf - draw); // partial Fisher-Yates over a pool kept across nodes, as sklearn
        f = this.pool[pick];
        this.pool[pick] = this.pool[draw];
        this.pool[draw] = f;
        h = this.one;
        h.fill(0, f * B * CELL, (f + 1) * B * CELL);
        accumulate(this.data, h, f, node, r);
      }
      if (this.boundaries(f, h, node, r)) this.visited[seen++] = f;
    }
    // Bins that may hold a better split, most promising first: the best rises fast and prunes the rest.
    let nc = 0;
    for (let v = 0; v < seen; v++) {
      const f = this.visited[v];
      for (let b = 0; b < this.data.nBins[f]; b++) {
        const u = this.inBin[(f * B + b) * 4 + 3];
        if (u >= 0 && u * (1 + BOUND_SLACK) >= this.best) this.cand[nc++] = f * B + b;
      }
    }
    const inBin = this.inBin;
    const cand = this.cand.subarray(0, nc).sort((a, b) => inBin[b * 4 + 3] - inBin[a * 4 + 3] || a - b);
    for (let k = 0; k < nc; k++) {
      if (inBin[cand[k] * 4 + 3] * (1 + BOUND_SLACK) < this.best) break;
      this.refine(Math.floor(cand[k] / B), cand[k] % B, node, r);
    }
    if (this.bestF < 0) return null;
    if (this.bestBin >= 0) {
      this.bestLo = this.binExtremes(this.bestF, this.bestPrevBin, node.id, r.nodeOf)[1];
      this.bestHi = this.binExtremes(this.bestF, this.bestBin, node.id, r.nodeOf)[0];
    }
    const lo = this.bestLo;
    const hi = this.bestHi;
    let thr = lo / 2 + hi / 2;
    if (thr === hi || !Number.isFinite(thr)) thr = lo;
    return [this.bestF, thr];
  }

  /** Exact proxies at the bin boundaries of feature f and bounds inside bins; false when f is constant in the node. */
  private boundaries(f: number, h: Float64Array, node: NodeRows, r: RowData): boolean {
    const { w: W, s: S, count: C } = node;
    const inBin = this.inBin;
    const msl = r.minSamplesLeaf;
    const wMin = r.wMin;
    const nb = this.data.nBins[f];
    const hb = f * B * CELL;
    const starts = this.data.binStart;
    const sb = f * (B + 1);
    let best = this.best;
    let bestBin = -1;
    let bestPrev = -1;
    let wl = 0;
    let sl = 0;
    let cl = 0;
    let prevBin = -1;
    let nonEmpty = 0;
    for (let b = 0; b < nb; b++) {
      const c = hb + b * CELL;
      const cnt = h[c + 1];
      const k = (f * B + b) * 4;
      inBin[k + 3] = -1;
      if (cnt === 0) continue;
      nonEmpty++;
      if (cl >= msl && C - cl >= msl) {
        const wr = W - wl;
        const d = wr * sl - wl * (S - sl);
        const proxy = (d * d) / (wl * wr);
        // Within one feature, boundaries come in increasing position, so only a strictly larger proxy wins, except
        // against an equal best from a higher feature.
        if (proxy > best || (proxy === best && bestBin < 0 && f < this.bestF)) {
          best = proxy;
          bestBin = b;
          bestPrev = prevBin;
        }
      }
      const wb = h[c];
      const sb = h[c + 2];
      inBin[k] = wl;
      inBin[k + 1] = sl;
      inBin[k + 2] = cl;
      if (cnt >= 2) {
        // Bound on splits inside the bin: the left weight lies in [wl + wMin, wl + wb - wMin] and the left sum in
        // [sl + (sb - pb), sl + pb]; |W sL - wL S| peaks at a corner of that box, wL (W - wL) is least at an end.
        const pb = h[c + 3];
        const wLo = wl + wMin;
        const wHi = wl + wb - wMin;
        const sLo = W * (sl + sb - pb);
        const sHi = W * (sl + pb);
        const a = Math.max(Math.abs(sLo - wLo * S), Math.abs(sHi - wLo * S));
        const e = Math.max(Math.abs(sLo - wHi * S), Math.abs(sHi - wHi * S));
        const den = Math.min(wLo * (W - wLo), wHi * (W - wHi));
        const nMax = a > e ? a : e;
        inBin[k + 3] = wHi < wLo ? -1 : den > 0 ? (nMax * nMax) / den : Infinity;
      }
      wl += wb;
      sl += sb;
      cl += cnt;
      prevBin = b;
    }
    if (bestBin >= 0) {
      this.best = best;
      this.bestF = f;
      this.bestPos = starts[sb + bestBin];
      this.bestBin = bestBin;
      this.bestPrevBin = bestPrev;
    }
    if (nonEmpty > 1) return true;
    // All rows in one bin: constant unless the node's values there still differ by more than the threshold.
    const [lo, hi] = this.binExtremes(f, prevBin, node.id, r.nodeOf);
    return hi > lo + FEATURE_THRESHOLD;
  }

  /** Scans the node's rows inside bin b of feature f in sorted order, offering every valid split. */
  private refine(f: number, b: number, node: NodeRows, r: RowData): void {
    const { order, sorted, binStart } = this.data;
    const { nodeOf, stats } = r;
    const { w: W, s: S, count: C, id } = node;
    const msl = r.minSamplesLeaf;
    const cb = f * this.data.rows;
    const k = (f * B + b) * 4;
    let wl = this.inBin[k];
    let sl = this.inBin[k + 1];
    let cl = this.inBin[k + 2];
    let prev = NaN;
    const end = binStart[f * (B + 1) + b + 1];
    for (let q = binStart[f * (B + 1) + b]; q < end; q++) {
      const i = order[cb + q];
      if (nodeOf[i] !== id) continue;
      const v = sorted[cb + q];
      if (v > prev + FEATURE_THRESHOLD && cl >= msl && C - cl >= msl) {
        const wr = W - wl;
        const d = wr * sl - wl * (S - sl);
        const proxy = (d * d) / (wl * wr);
        if (proxy > this.best || (proxy === this.best && (f < this.bestF || (f === this.bestF && q < this.bestPos)))) {
          this.best = proxy;
          this.bestF = f;
          this.bestPos = q;
          this.bestBin = -1;
          this.bestLo = prev;
          this.bestHi = v;
        }
      }
      wl += stats[i * ROW + 1];
      sl += stats[i * ROW + 2];
      cl++;
      prev = v;
    }
  }

  /** Smallest and largest value of the node's rows in bin b of feature f. */
  private binExtremes(f: number, b: number, id: number, nodeOf: Int32Array): [number, number] {
    const { order, sorted, binStart } = this.data;
    const cb = f * this.data.rows;
    let q = binStart[f * (B + 1) + b];
    let e = binStart[f * (B + 1) + b + 1] - 1;
    while (nodeOf[order[cb + q]] !== id) q++;
    while (nodeOf[order[cb + e]] !== id) e--;
    return [sorted[cb + q], sorted[cb + e]];
  }
}
