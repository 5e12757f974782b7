/**
 * Exact best-split search for one tree node, fast because it rarely looks at single rows. A histogram per feature
 * (weight, count, target sum and positive-target sum of the node's rows in each bin of presort.ts) gives the exact
 * Friedman proxy (wR sL - wL sR)^2 / (wL wR) at every bin boundary; for the splits inside a bin it gives an upper
 * bound (|W sL - wL S| is largest at a corner of the box the partial sums can reach, wL (W - wL) smallest at an end).
 * Only bins whose bound reaches the best proxy found so far are scanned row by row in sorted order, so the result
 * equals a full scan of every candidate: the same split as scikit-learn's exhaustive splitter, with ties going to
 * the lowest feature, then the lowest position (sklearn breaks ties by a random feature order). Nodes of at most
 * SMALL_NODE rows skip histograms: their rows are sorted per feature and scanned directly.
 */
import type { Rng } from '../../engine/rng.js';
import { accumulate, CELL, histSize, ROW } from './histogram.js';
import type { NodeRows, RowData } from './histogram.js';
import { FEATURE_THRESHOLD, MAX_BINS } from './presort.js';
import type { Presorted } from './presort.js';

const B = MAX_BINS;

/** Nodes with at most this many rows are searched by sorting their rows, cheaper than a MAX_BINS histogram there. */
export const SMALL_NODE = 64;

const BOUND_SLACK = 1e-9; // relative: a bound computed with different rounding must not hide a candidate

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
  private readonly keys: Int32Array; // a small node's rows as positions in one feature's sorted order
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
    this.keys = new Int32Array(data.rows);
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
    const small = node.count <= SMALL_NODE;
    let seen = 0;
    for (let draw = 0; draw < nf && seen < maxFeatures; draw++) {
      let f = draw;
      if (maxFeatures < nf) {
        const pick = draw + rng!.int(nf - draw); // partial Fisher-Yates over a pool kept across nodes, as sklearn
        f = this.pool[pick];
        this.pool[pick] = this.pool[draw];
        this.pool[draw] = f;
      }
      if (small) {
        if (this.sortedScan(f, node, r)) seen++;
        continue;
      }
      let h = hist;
      if (h === null) {
        h = this.one;
        h.fill(0, f * B * CELL, (f + 1) * B * CELL);
        accumulate(this.data, h, f, node, r);
      }
      if (this.boundaries(f, h, node, r)) this.visited[seen++] = f;
    }
    if (!small) this.refineBins(seen, node, r);
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

  /** Scans the bins of the first `seen` visited features whose bound reaches the best, most promising first. */
  private refineBins(seen: number, node: NodeRows, r: RowData): void {
    const inBin = this.inBin;
    let nc = 0;
    for (let v = 0; v < seen; v++) {
      const f = this.visited[v];
      for (let b = 0; b < this.data.nBins[f]; b++) {
        const u = inBin[(f * B + b) * 4 + 3];
        if (u >= 0 && u * (1 + BOUND_SLACK) >= this.best) this.cand[nc++] = f * B + b;
      }
    }
    // Best bounds first: the best proxy rises fast and prunes the rest.
    const cand = this.cand.subarray(0, nc).sort((a, b) => inBin[b * 4 + 3] - inBin[a * 4 + 3] || a - b);
    for (let k = 0; k < nc; k++) {
      if (inBin[cand[k] * 4 + 3] * (1 + BOUND_SLACK) < this.best) break;
      this.refine(Math.floor(cand[k] / B), cand[k] % B, node, r);
    }
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
        // N is linear in sL for a fixed wL, so its largest |N| is at the sL end farther from wL S / W.
        const mid = (sLo + sHi) / 2;
        const a = Math.abs((mid > wLo * S ? sHi : sLo) - wLo * S);
        const e = Math.abs((mid > wHi * S ? sHi : sLo) - wHi * S);
        const dLo = wLo * (W - wLo);
        const dHi = wHi * (W - wHi);
        const den = dLo < dHi ? dLo : dHi;
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
        this.offer((d * d) / (wl * wr), f, q, prev, v);
      }
      wl += stats[i * ROW + 1];
      sl += stats[i * ROW + 2];
      cl++;
      prev = v;
    }
  }

  /**
   * Exact scan of a small node's rows on feature f, sorted by their position in f's presorted order (a native sort
   * of integers); offers every valid split. False when f is constant in the node.
   */
  private sortedScan(f: number, node: NodeRows, r: RowData): boolean {
    const { order, sorted, rank } = this.data;
    const { rows, stats } = r;
    const { w: W, s: S, count: C, start } = node;
    const msl = r.minSamplesLeaf;
    const cb = f * this.data.rows;
    const keys = this.keys.subarray(0, C);
    for (let k = 0; k < C; k++) keys[k] = rank[cb + rows[start + k]];
    keys.sort();
    if (!(sorted[cb + keys[C - 1]] > sorted[cb + keys[0]] + FEATURE_THRESHOLD)) return false;
    let wl = 0;
    let sl = 0;
    for (let k = 0; k < C - 1; k++) {
      const i = order[cb + keys[k]];
      wl += stats[i * ROW + 1];
      sl += stats[i * ROW + 2];
      const lo = sorted[cb + keys[k]];
      const hi = sorted[cb + keys[k + 1]];
      if (!(hi > lo + FEATURE_THRESHOLD) || k + 1 < msl || C - k - 1 < msl) continue;
      const wr = W - wl;
      const d = wr * sl - wl * (S - sl);
      this.offer((d * d) / (wl * wr), f, keys[k + 1], lo, hi);
    }
    return true;
  }

  /** Takes a split between values lo and hi if it beats the best: larger proxy, or equal at a lower (feature, pos). */
  private offer(proxy: number, f: number, pos: number, lo: number, hi: number): void {
    if (proxy > this.best || (proxy === this.best && (f < this.bestF || (f === this.bestF && pos < this.bestPos)))) {
      this.best = proxy;
      this.bestF = f;
      this.bestPos = pos;
      this.bestBin = -1;
      this.bestLo = lo;
      this.bestHi = hi;
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
