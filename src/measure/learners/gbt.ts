/**
 * Gradient-boosted trees for one binary factor with scikit-learn GradientBoostingClassifier semantics. Written here
 * because no npm package offers sklearn-grade gradient boosting (exact CART splits, Newton leaf values, impurity
 * importances) together with the exact TreeSHAP the interpretability measures need.
 *
 * Log-loss; the initial raw score is the log-odds of the (weighted) prior; stage t fits a friedman_mse regression
 * tree to the negative gradient y - p, replaces each leaf by the Newton step sum(y - p) / sum(p (1 - p)) over its
 * in-bag rows (sklearn's _update_terminal_region for the binomial deviance), and adds learningRate x the tree.
 */
import { z } from 'zod';

import { Rng } from '../../engine/rng.js';
import type { Matrix } from '../matrix.js';
import { addTreePrediction, ensembleImportances, refreshInnerValues } from './tree-ops.js';
import { presort, TreeBuilder } from './tree.js';
import type { Presorted, TreeParams } from './tree.js';
import type { BinaryClassifier, Tree, TreeEnsemble } from './types.js';
import { checkPredictInput, checkTrainingInput, LearnerInputError, NotFittedError } from './types.js';

export const GbtConfig = z
  .object({
    nEstimators: z.number().int().positive().default(100).describe('boosting stages (trees)'),
    learningRate: z.number().positive().default(0.1).describe('shrinkage applied to each tree'),
    maxDepth: z.number().int().positive().default(3).describe('depth limit of each regression tree'),
    minSamplesSplit: z.number().int().min(2).default(2).describe('fewest rows a node needs to be split'),
    minSamplesLeaf: z.number().int().min(1).default(1).describe('fewest rows each child of a split must keep'),
    subsample: z
      .number()
      .gt(0)
      .max(1)
      .default(1)
      .describe('fraction of rows drawn (without replacement) for each stage; 1 uses all rows'),
    seed: z.number().int().default(0).describe('root seed of the subsampling streams (unused when subsample = 1)'),
  })
  .strict();
export type GbtConfig = z.infer<typeof GbtConfig>;

const PROB_EPS = 1e-15; // clip of the prior, so a near-pure factor keeps a finite initial log-odds

/** sklearn-style GradientBoostingClassifier for 0/1 labels; raw scores are log-odds. */
export class GradientBoostedTrees implements BinaryClassifier {
  readonly config: GbtConfig;
  /** Mean training log-loss (nats) on the in-bag rows after each stage [nEstimators], as sklearn's train_score_. */
  trainLoss = new Float64Array(0);
  private trees: Tree[] = [];
  private base = 0;
  private nFeatures = -1;

  constructor(config: z.input<typeof GbtConfig> = {}) {
    this.config = GbtConfig.parse(config);
  }

  /** Fits on x [rows x cols] and 0/1 labels y [rows]; both classes must occur. */
  fit(x: Matrix, y: Uint8Array): void {
    checkTrainingInput('gbt', x, y);
    this.fitPresorted(presort(x), y);
  }

  /** As `fit`, on a matrix already sorted by `presort` (lets several factors share one sort of the codes). */
  fitPresorted(data: Presorted, y: Uint8Array): void {
    const c = this.config;
    const n = data.rows;
    if (y.length !== n) throw new LearnerInputError(`gbt: ${y.length} labels for ${n} rows`);
    let pos = 0;
    for (let i = 0; i < n; i++) {
      if (y[i] > 1) throw new LearnerInputError(`gbt: label ${y[i]} at row ${i} is not 0 or 1`);
      pos += y[i];
    }
    if (pos === 0 || pos === n) throw new LearnerInputError(`gbt: labels hold a single class (${pos} of ${n} are 1)`);
    const prior = Math.min(1 - PROB_EPS, Math.max(PROB_EPS, pos / n));
    this.base = Math.log(prior / (1 - prior));
    this.nFeatures = data.cols;
    this.trees = [];
    this.trainLoss = new Float64Array(c.nEstimators);
    const builder = new TreeBuilder(data);
    const raw = new Float64Array(n).fill(this.base);
    const resid = new Float64Array(n);
    const hess = new Float64Array(n);
    const nBag = Math.max(1, Math.floor(c.subsample * n));
    const weight = c.subsample < 1 ? new Float64Array(n) : null;
    const rootRng = Rng.seeded(c.seed);
    const params: TreeParams = {
      maxDepth: c.maxDepth,
      minSamplesSplit: c.minSamplesSplit,
      minSamplesLeaf: c.minSamplesLeaf,
      criterion: 'friedman_mse',
      maxFeatures: null,
    };
    // Leaf sums of the Newton step, indexed by node id (a tree has < 2^(depth+1) and < 2 rows nodes).
    const num = new Float64Array(Math.min(2 ** (c.maxDepth + 1), 2 * n));
    const den = new Float64Array(num.length);
    for (let stage = 0; stage < c.nEstimators; stage++) {
      if (weight !== null) {
        weight.fill(0);
        const bag = rootRng.derive('subsample', stage).sampleWithoutReplacement(n, nBag);
        for (let k = 0; k < nBag; k++) weight[bag[k]] = 1;
      }
      for (let i = 0; i < n; i++) {
        const p = sigmoid(raw[i]);
        resid[i] = y[i] - p;
        hess[i] = p * (1 - p);
      }
      const tree = builder.build(resid, weight, params);
      const leafOf = builder.leafOf;
      num.fill(0);
      den.fill(0);
      for (let i = 0; i < n; i++) {
        const leaf = leafOf[i];
        if (leaf < 0) continue;
        num[leaf] += resid[i];
        den[leaf] += hess[i];
      }
      for (let id = 0; id < tree.nodeCount; id++) {
        if (tree.left[id] >= 0) continue;
        // sklearn's guard against overflow / division by zero in nearly pure leaves.
        tree.value[id] = c.learningRate * (Math.abs(den[id]) < 1e-150 ? 0 : num[id] / den[id]);
      }
      refreshInnerValues(tree);
      let loss = 0;
      for (let i = 0; i < n; i++) {
        const leaf = leafOf[i];
        if (leaf >= 0) {
          raw[i] += tree.value[leaf];
          loss += logLoss(y[i], raw[i]);
        } else {
          raw[i] += tree.value[applyColMajor(tree, data, i)];
        }
      }
      this.trainLoss[stage] = loss / (weight === null ? n : nBag);
      this.trees.push(tree);
    }
  }

  /** Raw scores (log-odds) for x [rows x cols] -> [rows], using the first `stages` trees (default all). */
  decisionFunction(x: Matrix, stages = this.trees.length): Float64Array {
    this.requireFitted();
    checkPredictInput('gbt', x, this.nFeatures);
    const out = new Float64Array(x.rows).fill(this.base);
    const k = Math.min(stages, this.trees.length);
    for (let t = 0; t < k; t++) addTreePrediction(this.trees[t], x, out);
    return out;
  }

  /** P(y = 1) for x [rows x cols] -> [rows], using the first `stages` trees (default all). */
  predictProba(x: Matrix, stages?: number): Float64Array {
    const raw = this.decisionFunction(x, stages);
    for (let i = 0; i < raw.length; i++) raw[i] = sigmoid(raw[i]);
    return raw;
  }

  /**
   * sklearn's feature_importances_ -> [cols]: each tree's impurity decrease (cover-weighted, divided by its root
   * cover, not normalised) averaged over trees that split at all, then normalised to sum 1 (all zero if none split).
   */
  featureImportances(): Float64Array {
    this.requireFitted();
    return ensembleImportances(this.trees, this.nFeatures, false);
  }

  /** The fitted model as a tree ensemble in log-odds space (for TreeSHAP); leaf values include the learning rate. */
  ensemble(): TreeEnsemble {
    this.requireFitted();
    return { baseValue: this.base, trees: this.trees, nFeatures: this.nFeatures };
  }

  private requireFitted(): void {
    if (this.nFeatures < 0) throw new NotFittedError('gbt');
  }
}

/** Logistic function 1 / (1 + e^-z). */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Log-loss (nats) of label y in {0, 1} at raw score z, computed stably as log(1 + e^z) - y z. */
function logLoss(y: number, z: number): number {
  const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  return softplus - y * z;
}

/** Leaf id of training row i, read from the presorted column-major copy. */
function applyColMajor(t: Tree, data: Presorted, i: number): number {
  let node = 0;
  while (t.left[node] >= 0) {
    const v = data.colMajor[t.feature[node] * data.rows + i];
    node = v <= t.threshold[node] ? t.left[node] : t.right[node];
  }
  return node;
}
