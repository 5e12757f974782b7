/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, Algorithm 2) for a tree ensemble in raw-score space:
 * what shap.TreeExplainer(model) returns for tree models without background data (feature_perturbation
 * "tree_path_dependent"), where a feature outside the coalition follows both branches weighted by training cover.
 * The path bookkeeping (extend / unwind / unwound sum) follows shap's tree_shap_recursive in tree_shap.h.
 */
import { matrix } from '../matrix.js';
import type { Matrix } from '../matrix.js';
import type { Tree, TreeEnsemble } from './types.js';
import { LearnerInputError } from './types.js';

/** SHAP values [rows x cols] of the ensemble's raw output for each row of x [rows x cols]; rows sum to f(x) - E f. */
export function treeShap(ensemble: TreeEnsemble, x: Matrix): Matrix {
  if (x.cols !== ensemble.nFeatures) {
    throw new LearnerInputError(`treeShap: ensemble has ${ensemble.nFeatures} features, x has ${x.cols} columns`);
  }
  const out = matrix(x.rows, x.cols);
  let depth = 0;
  for (const t of ensemble.trees) depth = Math.max(depth, treeDepth(t));
  const paths = new PathBuffer(depth);
  for (let r = 0; r < x.rows; r++) {
    const row = x.data.subarray(r * x.cols, (r + 1) * x.cols);
    const phi = out.data.subarray(r * x.cols, (r + 1) * x.cols);
    for (const t of ensemble.trees) paths.explain(t, row, phi);
  }
  return out;
}

/** E[f(X)] over the training distribution the covers record: the base value plus each tree's cover-weighted mean leaf. */
export function expectedValue(ensemble: TreeEnsemble): number {
  let e = ensemble.baseValue;
  for (const t of ensemble.trees) {
    for (let id = 0; id < t.nodeCount; id++) if (t.left[id] < 0) e += (t.value[id] * t.cover[id]) / t.cover[0];
  }
  return e;
}

/**
 * Path-dependent E[f(x) | x_S] (the paper's Algorithm 1): features in S (inS[j] = 1) follow x, the others take both
 * branches weighted by cover. Exponential in nothing, but only used as the brute-force reference's value function.
 */
export function conditionalExpectation(ensemble: TreeEnsemble, x: ArrayLike<number>, inS: ArrayLike<number>): number {
  let total = ensemble.baseValue;
  for (const t of ensemble.trees) {
    const g = (node: number): number => {
      const l = t.left[node];
      if (l < 0) return t.value[node];
      const r = t.right[node];
      const f = t.feature[node];
      if (inS[f]) return g(Math.fround(x[f]) <= t.threshold[node] ? l : r);
      return (g(l) * t.cover[l] + g(r) * t.cover[r]) / t.cover[node];
    };
    total += g(0);
  }
  return total;
}

/**
 * Shapley values [M] of x [M] by enumerating all 2^M coalitions of the value function predictCondExp(x, inS) (inS[j]
 * = 1 when feature j is in the coalition). Exponential: a reference for tests on a handful of features.
 */
export function bruteForceShapley(
  predictCondExp: (x: Float64Array, inS: Uint8Array) => number,
  x: Float64Array,
): Float64Array {
  const m = x.length;
  if (m > 20) throw new RangeError(`bruteForceShapley: 2^${m} coalitions is too many`);
  const value = new Float64Array(1 << m);
  const inS = new Uint8Array(m);
  for (let mask = 0; mask < 1 << m; mask++) {
    for (let j = 0; j < m; j++) inS[j] = (mask >> j) & 1;
    value[mask] = predictCondExp(x, inS);
  }
  const fact = [1];
  for (let k = 1; k <= m; k++) fact.push(fact[k - 1] * k);
  const phi = new Float64Array(m);
  for (let mask = 0; mask < 1 << m; mask++) {
    let size = 0;
    for (let j = 0; j < m; j++) size += (mask >> j) & 1;
    const weight = (fact[size] * fact[m - size - 1]) / fact[m];
    for (let j = 0; j < m; j++) if (!((mask >> j) & 1)) phi[j] += weight * (value[mask | (1 << j)] - value[mask]);
  }
  return phi;
}

/** Longest root-to-leaf path (edges) of a tree. */
function treeDepth(t: Tree): number {
  const depth = new Int32Array(t.nodeCount);
  let max = 0;
  // Pre-order numbering puts parents before children.
  for (let id = 0; id < t.nodeCount; id++) {
    if (t.left[id] < 0) continue;
    depth[t.left[id]] = depth[t.right[id]] = depth[id] + 1;
    max = Math.max(max, depth[id] + 1);
  }
  return max;
}

/**
 * The stack of unique feature paths TreeSHAP keeps while descending: each recursion level copies its parent's path
 * to the next free slots, so one buffer of (d + 2)(d + 3) / 2 elements serves a tree of depth d.
 */
class PathBuffer {
  private readonly feature: Int32Array;
  private readonly zero: Float64Array; // fraction of "x_j unknown" paths flowing down (cover ratio)
  private readonly one: Float64Array; // 1 when x follows this branch, else 0
  private readonly weight: Float64Array; // permutation weights
  private t!: Tree;
  private x!: Float64Array;
  private phi!: Float64Array;

  constructor(maxDepth: number) {
    const size = ((maxDepth + 2) * (maxDepth + 3)) / 2 + 1;
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }

  /** Adds one tree's SHAP values for row x [cols] into phi [cols]. */
  explain(t: Tree, x: Float64Array, phi: Float64Array): void {
    this.t = t;
    this.x = x;
    this.phi = phi;
    this.recurse(0, 0, 0, 1, 1, -1);
  }

  private recurse(node: number, depth: number, parentOff: number, pZero: number, pOne: number, pFeat: number): void {
    const { t, feature, zero, one } = this;
    const off = parentOff + depth + 1;
    for (let k = 0; k <= depth; k++) {
      feature[off + k] = feature[parentOff + k];
      zero[off + k] = zero[parentOff + k];
      one[off + k] = one[parentOff + k];
      this.weight[off + k] = this.weight[parentOff + k];
    }
    this.extend(off, depth, pZero, pOne, pFeat);
    const l = t.left[node];
    if (l < 0) {
      for (let k = 1; k <= depth; k++) {
        const w = this.unwoundSum(off, depth, k);
        this.phi[feature[off + k]] += w * (one[off + k] - zero[off + k]) * t.value[node];
      }
      return;
    }
    const r = t.right[node];
    const split = t.feature[node];
    const hot = Math.fround(this.x[split]) <= t.threshold[node] ? l : r;
    const cold = hot === l ? r : l;
    let inZero = 1;
    let inOne = 1;
    // A feature met again on the path: undo its earlier split so it is counted once, with both fractions combined.
    let k = 0;
    while (k <= depth && feature[off + k] !== split) k++;
    if (k <= depth) {
      inZero = zero[off + k];
      inOne = one[off + k];
      this.unwind(off, depth, k);
      depth--;
    }
    const cover = t.cover[node];
    this.recurse(hot, depth + 1, off, (t.cover[hot] / cover) * inZero, inOne, split);
    this.recurse(cold, depth + 1, off, (t.cover[cold] / cover) * inZero, 0, split);
  }

  private extend(off: number, depth: number, pZero: number, pOne: number, pFeat: number): void {
    const w = this.weight;
    this.feature[off + depth] = pFeat;
    this.zero[off + depth] = pZero;
    this.one[off + depth] = pOne;
    w[off + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      w[off + i + 1] += (pOne * w[off + i] * (i + 1)) / (depth + 1);
      w[off + i] = (pZero * w[off + i] * (depth - i)) / (depth + 1);
    }
  }

  private unwind(off: number, depth: number, k: number): void {
    const w = this.weight;
    const o = this.one[off + k];
    const z = this.zero[off + k];
    let next = w[off + depth];
    for (let i = depth - 1; i >= 0; i--) {
      if (o !== 0) {
        const tmp = w[off + i];
        w[off + i] = (next * (depth + 1)) / ((i + 1) * o);
        next = tmp - (w[off + i] * z * (depth - i)) / (depth + 1);
      } else {
        w[off + i] = (w[off + i] * (depth + 1)) / (z * (depth - i));
      }
    }
    for (let i = k; i < depth; i++) {
      this.feature[off + i] = this.feature[off + i + 1];
      this.zero[off + i] = this.zero[off + i + 1];
      this.one[off + i] = this.one[off + i + 1];
    }
  }

  private unwoundSum(off: number, depth: number, k: number): number {
    const w = this.weight;
    const o = this.one[off + k];
    const z = this.zero[off + k];
    let next = w[off + depth];
    let total = 0;
    if (o !== 0) {
      for (let i = depth - 1; i >= 0; i--) {
        const tmp = next / ((i + 1) * o);
        total += tmp;
        next = w[off + i] - tmp * z * (depth - i);
      }
    } else {
      for (let i = depth - 1; i >= 0; i--) total += w[off + i] / (z * (depth - i));
    }
    return total * (depth + 1);
  }
}
