import type { Dataset } from '../data/dataset.js';
import type { Split } from '../data/split/protocols.js';
import type { Kernels } from '../engine/kernels/types.js';
import { Rng } from '../engine/rng.js';
import type { Recommender } from '../models/model.js';
import { representationsOf } from '../models/representations.js';
import { parseConfig } from '../config.js';
import { codeVersion } from '../version.js';
import { splitHistories, userCodes, zScore } from './codes.js';
import { MeasureConfig, type MeasureConfigInput } from './config.js';
import { groundTruth } from './factors/build.js';
import type { MeasureRecord } from './record.js';
import { type MeasureEvent, measureCodes } from './run.js';

/**
 * Measures a fitted model: encodes every user of the split from their whole history, z-scores the codes, builds the
 * ground-truth factors of the same users, and runs the measures. Returns a record with its manifest.
 */
export function measureModel(
  model: Recommender,
  kernels: Kernels,
  split: Split,
  splitHash: string,
  dataset: Dataset,
  input: MeasureConfigInput,
  options: { modelFile?: string; modelSeed?: number; splitDir?: string; onEvent?: (e: MeasureEvent) => void } = {},
): MeasureRecord {
  const config = parseConfig(MeasureConfig, input, 'measure');
  const t0 = performance.now();
  let { users, history } = splitHistories(split);
  if (config.maxUsers !== null && config.maxUsers < users.length) {
    const keep = Rng.seeded(config.seed)
      .derive('measure', 'users')
      .sampleWithoutReplacement(users.length, config.maxUsers)
      .sort();
    users = Int32Array.from(keep, (k) => users[k]);
    history = history.sliceRows(keep);
  }
  const raw = userCodes(model, kernels, history, config.code);
  const codes = zScore(raw);
  const t1 = performance.now();
  const truth = groundTruth(config.factors, dataset, split, users, history);
  const t2 = performance.now();
  const { scores, details } = measureCodes(codes, truth.users, config, options.onEvent);
  const t3 = performance.now();
  const reps = representationsOf(model, kernels);
  return {
    kind: 'measure',
    model: { name: model.name, config: model.config, file: options.modelFile, seed: options.modelSeed },
    dataset: split.dataset,
    split: { hash: splitHash, dir: options.splitDir },
    config,
    code: {
      kind: config.code,
      name: config.code === 'full' ? 'MacridVAE facets: K x dfac mu, concatenated' : reps.userCodeName,
      dims: codes.cols,
    },
    factors: { source: truth.source, description: truth.description, names: truth.users.names, dropped: truth.dropped },
    scores,
    details,
    seconds: { codes: (t1 - t0) / 1000, factors: (t2 - t1) / 1000, measures: (t3 - t2) / 1000 },
    codeVersion: codeVersion(),
    created: new Date().toISOString(),
  };
}
