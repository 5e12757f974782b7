/**
 * CART trees with scikit-learn's splitting rules, grown depth-first for many trees on one presorted matrix. Each node
 * keeps its rows as a segment of one row array (stably partitioned at each split, so rows stay in index order) and,
 * for trees that consider every feature, per-feature histograms: the smaller child's are summed from its rows and the
 * larger child's are the parent's minus those. split.ts turns histograms into the exact best split (nodes of at most
 * SMALL_NODE rows need none: their rows are sorted per feature). Random forests draw features per node and sum only
 * the drawn features' histograms.
 *
 * sklearn semantics kept: candidate thresholds are midpoints of consecutive distinct values within the node (values
 * closer than 1e-7 count as equal), a row goes left when x <= threshold; a node is a leaf when depth >= maxDepth, it
 * holds fewer than minSamplesSplit or 2 * minSamplesLeaf rows, its impurity <= machine epsilon, or no split leaves
 * minSamplesLeaf rows on each side; the best split has the largest proxy improvement; nodes are numbered in
 * depth-first pre-order. The criteria 'friedman_mse', 'squared_error' and binary 'gini' choose the same split within a
 * node (Friedman's (wR sL - wL sR)^2 / (wL wR) is W x the squared-error gain; binary Gini is 2 x the variance of a 0/1
 * target), so one search serves all three and the criterion only sets the recorded impurity.
 */
import type { Rng } from '../../engine/rng.js';
import type { Presorted } from './presort.js';
import { accumulate, accumulateAll, histSize, ROW } from './histogram.js';
import type { NodeRows, RowData } from './histogram.js';
import { SMALL_NODE, SplitFinder } from './split.js';
import type { Tree } from './types.js';
import { LearnerInputError } from './types.js';

export { presort } from './presort.js';
export type { Presorted } from './presort.js';

/** Split criterion (see the file comment: they differ only in the impurity recorded per node). */
export type Criterion = 'friedman_mse' | 'squared_error' | 'gini';

/** Growth limits of one tree; maxDepth null grows until leaves are pure or too small. */
export interface TreeParams {
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  criterion: Criterion;
  /** Features drawn at random per node (random forests); null considers all. Needs `rng`. */
  maxFeatures: number | null;
}

const EPSILON = 2.220446049250313e-16;

/** A node waiting to be split: its rows, their weight / target sum / square sum, and its histograms if kept. */
interface Pending extends NodeRows {
  depth: number;
  q: number;
  hist: Float64Array | null;
}

/** Reusable working memory for fitting many trees on one presorted matrix. */
export class TreeBuilder {
  /** Leaf node id of each training row after the last `build` (-1 for rows with zero weight). */
  readonly leafOf: Int32Array;
  private readonly data: Presorted;
  private readonly finder: SplitFinder;
  private readonly rows: Int32Array;
  private readonly tmp: Int32Array;
  private readonly nodeOf: Int32Array;
  private readonly ones: Float64Array;
  private readonly stats: Float64Array; // RowData.stats
  private readonly free: Float64Array[] = []; // histogram buffers not in use

  constructor(data: Presorted) {
    const n = data.rows;
    this.data = data;
    this.finder = new SplitFinder(data);
    this.leafOf = new Int32Array(n);
    this.rows = new Int32Array(n);
    this.tmp = new Int32Array(n);
    this.nodeOf = new Int32Array(n);
    this.ones = new Float64Array(n).fill(1);
    this.stats = new Float64Array(n * ROW);
  }

  /** Fits one tree to targets [rows] with optional non-negative row weights [rows] (0 leaves a row out). */
  build(target: Float64Array, weight: Float64Array | null, p: TreeParams, rng?: Rng): Tree {
    const { rows: n, cols: nf } = this.data;
    const { rows, nodeOf, leafOf, stats } = this;
    if (p.maxFeatures !== null && rng === undefined) throw new RangeError('tree: maxFeatures needs an rng');
    const w = weight ?? this.ones;
    const maxDepth = p.maxDepth ?? Number.MAX_SAFE_INTEGER;
    const impScale = p.criterion === 'gini' ? 2 : 1;
    const t = new GrowingTree();
    const root: Pending = { id: t.add(), start: 0, end: 0, w: 0, s: 0, q: 0, count: 0, depth: 0, hist: null };
    let wMin = Infinity;
    for (let i = 0; i < n; i++) {
      const wi = w[i] > 0 ? w[i] : 0;
      const wy = wi * target[i];
      stats[i * ROW] = wi > 0 ? 1 : 0;
      stats[i * ROW + 1] = wi;
      stats[i * ROW + 2] = wy;
      stats[i * ROW + 3] = wy > 0 ? wy : 0;
      leafOf[i] = -1;
      nodeOf[i] = -1;
      if (wi === 0) continue;
      rows[root.end++] = i;
      nodeOf[i] = root.id;
      root.w += wi;
      root.s += wy;
      root.q += wy * target[i];
      wMin = Math.min(wMin, wi);
    }
    root.count = root.end;
    if (root.count === 0) throw new LearnerInputError('tree: no row has a positive weight');
    let unit = true;
    for (let i = 0; i < n && unit; i++) unit = w[i] === 0 || w[i] === 1;
    const r: RowData = { rows, nodeOf, stats, wMin, unit, minSamplesLeaf: p.minSamplesLeaf };
    const splittable = (node: Pending) => {
      const mean = node.s / node.w;
      return (
        node.depth < maxDepth &&
        node.count >= p.minSamplesSplit &&
        node.count >= 2 * p.minSamplesLeaf &&
        node.q / node.w - mean * mean > EPSILON
      );
    };
    const keepHists = p.maxFeatures === null;
    // Small nodes are searched without histograms (split.ts).
    const needsHist = (node: Pending) => keepHists && node.count > SMALL_NODE && splittable(node);
    const stack = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const mean = node.s / node.w;
      t.set(node.id, mean, node.w, impScale * Math.max(0, node.q / node.w - mean * mean));
      let hist = node.hist;
      if (hist === null && needsHist(node)) hist = this.histogram(node, r, node === root);
      const split = splittable(node) ? this.finder.find(node, r, hist, p.maxFeatures ?? nf, rng) : null;
      if (split === null) {
        for (let k = node.start; k < node.end; k++) leafOf[rows[k]] = node.id;
        if (hist !== null) this.free.push(hist);
        continue;
      }
      const [feat, thr] = split;
      const [left, right] = this.partition(node, feat, thr, t.add(), t.add(), target);
      t.link(node.id, feat, thr, left.id, right.id);
      if (hist !== null) {
        // Sibling subtraction: sum the smaller child's rows, the larger child gets parent minus smaller.
        const [small, large] = left.count <= right.count ? [left, right] : [right, left];
        if (needsHist(large)) {
          const h = this.histogram(small, r, false);
          for (let k = 0; k < hist.length; k++) hist[k] -= h[k];
          large.hist = hist;
          if (needsHist(small)) small.hist = h;
          else this.free.push(h);
        } else {
          // The small child's own histogram, if it needs one, is summed when it is split.
          this.free.push(hist);
        }
      }
      stack.push(right, left);
    }
    return t.finish(leafOf);
  }

  /** All features' histograms of a node's rows (of all in-sample rows for the root), in a buffer from the free list. */
  private histogram(node: Pending, r: RowData, isRoot: boolean): Float64Array {
    const h = this.free.pop() ?? new Float64Array(histSize(this.data.cols));
    if (isRoot) {
      const allUnit = r.unit && node.count === this.data.rows;
      for (let f = 0; f < this.data.cols; f++) accumulateAll(this.data, h, f, r, allUnit);
    } else {
      h.fill(0);
      for (let f = 0; f < this.data.cols; f++) accumulate(this.data, h, f, node, r);
    }
    return h;
  }

  /** Stably splits a node's rows by x[feat] <= thr into two child nodes with their sums; marks rows' new nodes. */
  private partition(
    node: Pending,
    feat: number,
    thr: number,
    leftId: number,
    rightId: number,
    target: Float64Array,
  ): [Pending, Pending] {
    const { rows, tmp, nodeOf, stats } = this;
    const n = this.data.rows;
    const col = this.data.colMajor;
    const make = (id: number): Pending => ({
      id,
      start: 0,
      end: 0,
      w: 0,
      s: 0,
      q: 0,
      count: 0,
      depth: node.depth + 1,
      hist: null,
    });
    const left = make(leftId);
    const right = make(rightId);
    let l = node.start;
    let rc = 0;
    for (let k = node.start; k < node.end; k++) {
      const i = rows[k];
      const kid = col[feat * n + i] <= thr ? left : right;
      const wy = stats[i * ROW + 2];
      kid.w += stats[i * ROW + 1];
      kid.s += wy;
      kid.q += wy * target[i];
      nodeOf[i] = kid.id;
      if (kid === left) rows[l++] = i;
      else tmp[rc++] = i;
    }
    rows.set(tmp.subarray(0, rc), l);
    left.start = node.start;
    left.end = l;
    right.start = l;
    right.end = node.end;
    left.count = left.end - left.start;
    right.count = right.end - right.start;
    return [left, right];
  }
}

/** Node arrays that grow as the tree does; `finish` renumbers them in depth-first pre-order. */
class GrowingTree {
  private readonly feature: number[] = [];
  private readonly threshold: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly value: number[] = [];
  private readonly cover: number[] = [];
  private readonly impurity: number[] = [];

  add(): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(0);
    this.cover.push(0);
    this.impurity.push(0);
    return this.feature.length - 1;
  }

  set(id: number, value: number, cover: number, impurity: number): void {
    this.value[id] = value;
    this.cover[id] = cover;
    this.impurity[id] = impurity;
  }

  link(id: number, feature: number, threshold: number, left: number, right: number): void {
    this.feature[id] = feature;
    this.threshold[id] = threshold;
    this.left[id] = left;
    this.right[id] = right;
  }

  /** The tree in pre-order; remaps `leafOf` (row -> node id) to the new numbering. */
  finish(leafOf: Int32Array): Tree {
    const m = this.feature.length;
    const newId = new Int32Array(m);
    const oldOf = new Int32Array(m);
    const stack = [0];
    for (let next = 0; stack.length > 0; next++) {
      const id = stack.pop()!;
      newId[id] = next;
      oldOf[next] = id;
      if (this.left[id] >= 0) stack.push(this.right[id], this.left[id]);
    }
    const child = (c: number) => (c < 0 ? -1 : newId[c]);
    const tree: Tree = {
      nodeCount: m,
      feature: Int32Array.from(oldOf, (o) => this.feature[o]),
      threshold: Float64Array.from(oldOf, (o) => this.threshold[o]),
      left: Int32Array.from(oldOf, (o) => child(this.left[o])),
      right: Int32Array.from(oldOf, (o) => child(this.right[o])),
      value: Float64Array.from(oldOf, (o) => this.value[o]),
      cover: Float64Array.from(oldOf, (o) => this.cover[o]),
      impurity: Float64Array.from(oldOf, (o) => this.impurity[o]),
    };
    for (let i = 0; i < leafOf.length; i++) if (leafOf[i] >= 0) leafOf[i] = newId[leafOf[i]];
    return tree;
  }
}
