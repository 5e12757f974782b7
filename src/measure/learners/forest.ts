/**
 * Random forest classifier for one binary factor, the DCI alternative to gradient boosting, with scikit-learn
 * RandomForestClassifier semantics: each tree is a Gini CART grown on a bootstrap sample (drawn counts become row
 * weights), considering sqrt(cols) random features per node, to full depth by default; P(y = 1) is the mean of the
 * trees' leaf class fractions; importances are each tree's normalised impurity decrease, averaged and normalised.
 */
import { z } from 'zod';

import { Rng } from '../../engine/rng.js';
import type { Matrix } from '../matrix.js';
import { addTreePrediction, ensembleImportances } from './tree-ops.js';
import { presort, TreeBuilder } from './tree.js';
import type { Presorted, TreeParams } from './tree.js';
import type { BinaryClassifier, Tree, TreeEnsemble } from './types.js';
import { checkPredictInput, checkTrainingInput, LearnerInputError, NotFittedError } from './types.js';

export const ForestConfig = z
  .object({
    nEstimators: z.number().int().positive().default(100).describe('trees in the forest'),
    maxDepth: z.number().int().positive().nullable().default(null).describe('depth limit; null grows to purity'),
    minSamplesSplit: z.number().int().min(2).default(2).describe('fewest rows a node needs to be split'),
    minSamplesLeaf: z.number().int().min(1).default(1).describe('fewest rows each child of a split must keep'),
    maxFeatures: z
      .union([z.literal('sqrt'), z.number().int().positive(), z.null()])
      .default('sqrt')
      .describe("features drawn per node: 'sqrt' (floor of sqrt(cols)), a count, or null for all"),
    bootstrap: z.boolean().default(true).describe('fit each tree on a bootstrap sample of the rows'),
    seed: z.number().int().default(0).describe('root seed of the bootstrap and feature-draw streams'),
  })
  .strict();
export type ForestConfig = z.infer<typeof ForestConfig>;

/** Random forest of Gini trees for 0/1 labels. */
export class RandomForest implements BinaryClassifier {
  readonly config: ForestConfig;
  private trees: Tree[] = [];
  private nFeatures = -1;

  constructor(config: z.input<typeof ForestConfig> = {}) {
    this.config = ForestConfig.parse(config);
  }

  /** Fits on x [rows x cols] and 0/1 labels y [rows]. */
  fit(x: Matrix, y: Uint8Array): void {
    checkTrainingInput('forest', x, y);
    this.fitPresorted(presort(x), y);
  }

  /** As `fit`, on a matrix already sorted by `presort`. */
  fitPresorted(data: Presorted, y: Uint8Array): void {
    const c = this.config;
    const n = data.rows;
    if (y.length !== n) throw new LearnerInputError(`forest: ${y.length} labels for ${n} rows`);
    const target = Float64Array.from(y);
    const builder = new TreeBuilder(data);
    const maxFeatures = c.maxFeatures === 'sqrt' ? Math.max(1, Math.floor(Math.sqrt(data.cols))) : c.maxFeatures;
    const params: TreeParams = {
      maxDepth: c.maxDepth,
      minSamplesSplit: c.minSamplesSplit,
      minSamplesLeaf: c.minSamplesLeaf,
      criterion: 'gini',
      maxFeatures: maxFeatures === null ? null : Math.min(maxFeatures, data.cols),
    };
    const root = Rng.seeded(c.seed);
    const weight = c.bootstrap ? new Float64Array(n) : null;
    this.trees = [];
    for (let t = 0; t < c.nEstimators; t++) {
      if (weight !== null) {
        weight.fill(0);
        const draw = root.derive('bootstrap', t);
        for (let k = 0; k < n; k++) weight[draw.int(n)] += 1;
      }
      this.trees.push(builder.build(target, weight, params, root.derive('features', t)));
    }
    this.nFeatures = data.cols;
  }

  /** P(y = 1) for x [rows x cols] -> [rows]: the mean of the trees' leaf fractions of class 1. */
  predictProba(x: Matrix): Float64Array {
    this.requireFitted();
    checkPredictInput('forest', x, this.nFeatures);
    const out = new Float64Array(x.rows);
    for (const t of this.trees) addTreePrediction(t, x, out, 1 / this.trees.length);
    return out;
  }

  /** Mean over trees that split of each tree's normalised impurity decrease -> [cols], normalised to sum 1. */
  featureImportances(): Float64Array {
    this.requireFitted();
    return ensembleImportances(this.trees, this.nFeatures, true);
  }

  /** The forest as a tree ensemble of P(y = 1) (each tree scaled by 1 / nEstimators), for TreeSHAP. */
  ensemble(): TreeEnsemble {
    this.requireFitted();
    const k = this.trees.length;
    const trees = this.trees.map((t) => ({ ...t, value: t.value.map((v) => v / k) }));
    return { baseValue: 0, trees, nFeatures: this.nFeatures };
  }

  private requireFitted(): void {
    if (this.nFeatures < 0) throw new NotFittedError('forest');
  }
}
