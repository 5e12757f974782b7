import { z } from 'zod';

import { FACTOR_SOURCES } from './factors/build.js';

/** The measures `untangle measure` computes, in report order. */
export const MEASURE_NAMES = ['dci', 'mig', 'sap', 'modularity', 'uncorrelatedness', 'shap', 'lime'] as const;
export type MeasureName = (typeof MEASURE_NAMES)[number];

/** One typed config for measuring a model's codes; the CLI, the bench and saved results share it. */
export const MeasureConfig = z
  .object({
    factors: z
      .enum(FACTOR_SOURCES)
      .default('genres')
      .describe('ground truth: item genres, tag clusters or planted factors'),
    code: z
      .enum(['default', 'full', 'items'])
      .default('default')
      .describe(
        "which code: users' own (MacridVAE: facet-averaged, K dims), MacridVAE's full K x dfac, or item vectors against item-level factors",
      ),
    measures: z
      .array(z.enum(MEASURE_NAMES))
      .min(1)
      .default([...MEASURE_NAMES])
      .describe('which measures to compute'),
    importance: z
      .enum(['gbt', 'forest', 'lasso'])
      .default('gbt')
      .describe(
        'per-factor classifier behind DCI, SHAP and LIME: gradient-boosted trees (the study), random forest, lasso',
      ),
    gridSearch: z
      .boolean()
      .default(false)
      .describe(
        "the study's 2-fold grid search of the GBT settings per factor (learning rate, trees, split/leaf sizes)",
      ),
    testShare: z.number().gt(0).max(0.5).default(0.2).describe('share of users held out to score the classifiers'),
    maxUsers: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(null)
      .describe('measure a seeded sample of this many users'),
    limeUsers: z
      .number()
      .int()
      .positive()
      .default(300)
      .describe('users LIME explains (seeded sample; the study explains all, which costs hours on ML-1M)'),
    limeSamples: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(null)
      .describe("LIME perturbations per explanation; null = 10% of the users, the study's setting, capped at 5,000"),
    shapUsers: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(null)
      .describe('users whose SHAP values are averaged (seeded sample); null = all'),
    seed: z.number().int().min(0).default(0).describe('root seed of the user sample, hold-out, learners and LIME'),
  })
  .strict();
export type MeasureConfig = z.infer<typeof MeasureConfig>;
export type MeasureConfigInput = z.input<typeof MeasureConfig>;
