import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';

import type { Dataset } from '../../data/dataset.js';
import type { Split } from '../../data/split/protocols.js';
import type { CsrMatrix } from '../../engine/csr.js';
import { ConfigError } from '../../errors.js';
import type { LabelMatrix } from '../matrix.js';
import { itemFactorsFromCategories } from './categories.js';
import { syntheticItemFactors, syntheticUserFactors } from './synthetic.js';
import { type TagClusterOptions, readTagGenome, tagClusterFactors, tagRelevanceFromItemTags } from './tags.js';
import type { DroppedFactor, ItemFactors } from './types.js';
import { STUDY_RULE, keepInformative, userFactorsFromItems } from './user-labels.js';

export const FACTOR_SOURCES = ['genres', 'tags', 'synthetic'] as const;
export type FactorSource = (typeof FACTOR_SOURCES)[number];

/** Ground-truth factors of the measured users, with the item-level factors they came from. */
export interface GroundTruth {
  source: FactorSource;
  /** How the labels were made, for reports. */
  description: string;
  /** Item-level factors over the split's items. */
  items: ItemFactors;
  /** [users x factors] binary labels of the measured users (rows as in `history`). */
  users: LabelMatrix;
  dropped: DroppedFactor[];
}

/**
 * Builds ground-truth factors for the users whose histories are given (rows = `users`, interactions rows of the split):
 * - genres: item genres -> user has genre c when >= 50% of their items are in c;
 * - tags: tag genome (or tags.csv) clusters -> the same user rule;
 * - synthetic: the generator's planted factors; user labels from the planted preferences.
 * Factors with a positive rate outside [0.01, 0.99) are dropped and reported.
 */
export function groundTruth(
  source: FactorSource,
  dataset: Dataset,
  split: Split,
  users: Int32Array,
  history: CsrMatrix,
  options: { tags?: Partial<TagClusterOptions>; genomeDir?: string } = {},
): GroundTruth {
  const rawItem = new Map(dataset.ratings.itemIds.map((id, i) => [id, i]));
  const itemRaw = split.itemIds.map((id) => {
    const i = rawItem.get(id);
    if (i === undefined)
      throw new ConfigError(`item ${id} of the split is not in dataset ${dataset.name}: another dataset?`);
    return i;
  });
  if (source === 'synthetic') {
    if (!dataset.factors)
      throw new ConfigError(`--factors synthetic needs the synthetic dataset; ${dataset.name} has no planted factors`);
    const rawUser = new Map(dataset.ratings.userIds.map((id, u) => [id, u]));
    const raw = Int32Array.from(users, (row) => rawUser.get(split.userIds[row]) ?? -1);
    if (raw.includes(-1))
      throw new ConfigError('the split names users the synthetic dataset does not have: another seed or size?');
    const all = syntheticUserFactors(dataset.factors, raw);
    const { labels, dropped } = keepInformative(all.data, all.rows, all.names, STUDY_RULE);
    return {
      source,
      description:
        'planted factors of the synthetic data (genre, decade band, quality band); a user has the level they prefer most',
      items: syntheticItemFactors(dataset.factors, itemRaw),
      users: labels,
      dropped,
    };
  }
  let items: ItemFactors;
  let description: string;
  if (source === 'genres') {
    if (!dataset.itemMeta)
      throw new ConfigError(`--factors genres needs item genres; ${dataset.name} has no item metadata`);
    items = itemFactorsFromCategories(itemRaw.map((i) => dataset.itemMeta!.genres[i]));
    description = 'item genres; a user has genre c when >= 50% of their items are in c';
  } else {
    const dir = options.genomeDir ?? genomeDirOf(dataset);
    const tagged = dataset.itemMeta?.tags;
    if (dir) {
      const column = new Map(split.itemIds.map((id, j) => [id, j]));
      items = tagClusterFactors(readTagGenome(dir, column), options.tags);
      description = `tag genome in ${dir}: top tags k-means-clustered, item in cluster when mean relevance > 0.4; user rule 50%`;
    } else if (tagged) {
      items = tagClusterFactors(tagRelevanceFromItemTags(itemRaw.map((i) => tagged[i])), options.tags);
      description =
        'user-applied tags (tags.csv) k-means-clustered; item in cluster when > 40% of its cluster tags apply; user rule 50%';
    } else {
      throw new ConfigError(
        `--factors tags needs the tag genome (genome-scores.csv, genome-tags.csv: ML-20M, ML-25M, ml-latest) or tags.csv; ${dataset.name} has neither`,
      );
    }
  }
  const { labels, dropped } = userFactorsFromItems(history, items);
  return { source, description, items, users: labels, dropped };
}

/** The folder of a dataset's files when it holds the tag genome. */
function genomeDirOf(dataset: Dataset): string | null {
  for (const f of dataset.source.files ?? []) {
    const dir = dirname(f.path);
    if (existsSync(join(dir, 'genome-scores.csv'))) return dir;
  }
  return null;
}
