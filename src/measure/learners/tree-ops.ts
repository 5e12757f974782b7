/** Operations on a fitted tree (types.ts Tree): routing rows, predicting, impurity importances. */
import type { Matrix } from '../matrix.js';
import type { Tree } from './types.js';

/** Sets each inner node's value to the cover-weighted mean of its children's (after leaf values change). */
export function refreshInnerValues(t: Tree): void {
  // Pre-order numbering puts children after their parent, so a reverse sweep sees children first.
  for (let id = t.nodeCount - 1; id >= 0; id--) {
    const l = t.left[id];
    const r = t.right[id];
    if (l >= 0) t.value[id] = (t.value[l] * t.cover[l] + t.value[r] * t.cover[r]) / t.cover[id];
  }
}

/** Leaf id reached by row `row` of x [rows x cols] (values compared as float32, like the training values). */
export function applyTree(t: Tree, x: Matrix, row: number): number {
  return leafOfRow(t, x.data, row * x.cols);
}

/** Leaf id reached by the row starting at data[offset] (row-major; values compared as float32). */
export function leafOfRow(t: Tree, data: ArrayLike<number>, offset: number): number {
  let node = 0;
  while (t.left[node] >= 0) {
    node = Math.fround(data[offset + t.feature[node]]) <= t.threshold[node] ? t.left[node] : t.right[node];
  }
  return node;
}

/** Adds scale * tree(x) to out [rows] for every row of x [rows x cols]. */
export function addTreePrediction(t: Tree, x: Matrix, out: Float64Array, scale = 1): void {
  for (let r = 0; r < x.rows; r++) out[r] += scale * t.value[applyTree(t, x, r)];
}

/**
 * Mean decrease in impurity per feature -> [nFeatures], as sklearn's `compute_feature_importances`: sum over splits
 * of cover * impurity minus the children's, divided by the root cover; normalised to sum 1 when `normalize`.
 */
export function treeImportances(t: Tree, nFeatures: number, normalize: boolean): Float64Array {
  const out = new Float64Array(nFeatures);
  for (let id = 0; id < t.nodeCount; id++) {
    const l = t.left[id];
    const r = t.right[id];
    if (l < 0) continue;
    out[t.feature[id]] += t.cover[id] * t.impurity[id] - t.cover[l] * t.impurity[l] - t.cover[r] * t.impurity[r];
  }
  let total = 0;
  for (let j = 0; j < nFeatures; j++) total += out[j] /= t.cover[0];
  if (normalize && total > 0) for (let j = 0; j < nFeatures; j++) out[j] /= total;
  return out;
}

/**
 * An ensemble's feature importances -> [nFeatures], as sklearn's ensembles: each tree's impurity decrease (normalised
 * per tree for forests, raw for boosting), summed over trees that split at all, then normalised to sum 1 (all zero
 * when no tree splits). The mean over trees cancels in the final normalisation, so the sum is normalised directly.
 */
export function ensembleImportances(
  trees: readonly Tree[],
  nFeatures: number,
  normalizePerTree: boolean,
): Float64Array {
  const out = new Float64Array(nFeatures);
  for (const t of trees) {
    if (t.nodeCount <= 1) continue;
    const imp = treeImportances(t, nFeatures, normalizePerTree);
    for (let j = 0; j < nFeatures; j++) out[j] += imp[j];
  }
  let total = 0;
  for (let j = 0; j < nFeatures; j++) total += out[j];
  if (total > 0) for (let j = 0; j < nFeatures; j++) out[j] /= total;
  return out;
}
