import type { Dataset } from '../data/dataset.js';
import type { Split } from '../data/split/protocols.js';
import type { Kernels } from '../engine/kernels/types.js';
import { Rng } from '../engine/rng.js';
import type { Recommender } from '../models/model.js';
import { representationsOf } from '../models/representations.js';
import { parseConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { codeVersion } from '../version.js';
import { splitHistories, userCodes, zScore } from './codes.js';
import { MeasureConfig, type MeasureConfigInput } from './config.js';
import { groundTruth } from './factors/build.js';
import { STUDY_RULE, keepInformative } from './factors/user-labels.js';
import { type Matrix, matrix } from './matrix.js';
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
  const reps = representationsOf(model, kernels);
  let codes: Matrix;
  if (config.code === 'items') {
    const items = reps.itemCodes();
    if (!items) throw new ConfigError(`--code items: ${model.name} has no item vectors`);
    codes = zScore(matrix(items.rows, items.dim, Float64Array.from(items.data)));
  } else codes = zScore(userCodes(model, kernels, history, config.code));
  const t1 = performance.now();
  const truth = groundTruth(config.factors, dataset, split, users, history);
  // item codes are measured against the item-level factors, with the same positive-rate rule
  const itemLevel =
    config.code === 'items'
      ? keepInformative(truth.items.labels, truth.items.items, truth.items.names, STUDY_RULE)
      : null;
  const labels = itemLevel ? itemLevel.labels : truth.users;
  const dropped = itemLevel ? itemLevel.dropped : truth.dropped;
  const t2 = performance.now();
  const { scores, details } = measureCodes(codes, labels, config, options.onEvent);
  const t3 = performance.now();
  return {
    kind: 'measure',
    model: { name: model.name, config: model.config, file: options.modelFile, seed: options.modelSeed },
    dataset: split.dataset,
    split: { hash: splitHash, dir: options.splitDir },
    config,
    code: {
      kind: config.code,
      name:
        config.code === 'full'
          ? 'MacridVAE facets: K x dfac mu, concatenated'
          : config.code === 'items'
            ? 'item vectors (embeddings, decoder columns or item factors)'
            : reps.userCodeName,
      dims: codes.cols,
    },
    factors: {
      source: truth.source,
      description: itemLevel ? `item level: ${truth.description.split(';')[0]}` : truth.description,
      names: labels.names,
      dropped,
    },
    scores,
    details,
    seconds: { codes: (t1 - t0) / 1000, factors: (t2 - t1) / 1000, measures: (t3 - t2) / 1000 },
    codeVersion: codeVersion(),
    created: new Date().toISOString(),
  };
}
