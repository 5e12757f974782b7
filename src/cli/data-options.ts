import { existsSync, readFileSync } from 'node:fs';

import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';

import type { Dataset } from '../data/dataset.js';
import type { DownloadEvent } from '../data/download.js';
import { type Interactions, preprocess } from '../data/preprocess.js';
import { DATASET_NAMES, loadDataset } from '../data/registry.js';
import type { SplitConfigInput } from '../data/split/protocols.js';
import { SYNTHETIC_SIZES, type SyntheticSize } from '../data/loaders/synthetic.js';
import { ConfigError } from '../errors.js';
import type { Output } from './output.js';
import { parseInteger, parseNumber } from './parse.js';

/** Options every command that reads a dataset shares. */
export interface DataOptions {
  dataDir?: string;
  cacheDir?: string;
  download: boolean;
  syntheticSize: string;
  syntheticSeed: string;
  csv?: string;
  threshold: string;
  minUserItems: string;
  minItemUsers: string;
  binarize: boolean;
}

export function addDataOptions(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'read the dataset files from this folder (no network)')
    .option('--cache-dir <dir>', 'download cache (default: the user cache folder, or $UNTANGLE_CACHE_DIR)')
    .option('--no-download', 'never download; fail if the files are not on disk')
    .option('--synthetic-size <size>', `synthetic dataset size: ${Object.keys(SYNTHETIC_SIZES).join(', ')}`, 'small')
    .option('--synthetic-seed <n>', 'seed of the synthetic data', '0')
    .option(
      '--csv <json|file>',
      'csv dataset: column mapping as JSON or a JSON file, e.g. {"path":"x.csv","user":"uid","item":"iid"}',
    )
    .option('--threshold <x|none>', 'keep ratings above this value ("none" keeps all)', '3.5')
    .option('--min-user-items <n>', 'drop users with fewer interactions (iterative with --min-item-users)', '5')
    .option('--min-item-users <n>', 'drop items with fewer users', '0')
    .option('--no-binarize', 'keep rating values instead of 1');
}

export interface SplitOptions {
  protocol: string;
  seed: string;
  validationUsers: string;
  testUsers: string;
  heldOut: string;
  order: string;
}

export function addSplitOptions(cmd: Command): Command {
  return cmd
    .option(
      '--protocol <strong|weak>',
      'strong: disjoint held-out users (Liang et al.); weak: 64/16/20 of every user',
      'strong',
    )
    .option('--seed <n>', 'split seed', '1')
    .option('--validation-users <x>', 'strong: validation users, a fraction (< 1) or a count', '0.1')
    .option('--test-users <x>', 'strong: test users, a fraction (< 1) or a count', '0.1')
    .option('--held-out <x>', "strong: share of a held-out user's items to predict", '0.2')
    .option('--order <random|time>', 'weak: random per-user draws, or the latest interactions held out', 'random');
}

/** Loads the named dataset as the options say, reporting download progress as notes. */
export async function datasetFromOptions(name: string, o: DataOptions, out: Output): Promise<Dataset> {
  const size = o.syntheticSize as SyntheticSize;
  if (!(size in SYNTHETIC_SIZES)) {
    throw new ConfigError(`--synthetic-size ${o.syntheticSize}; valid: ${Object.keys(SYNTHETIC_SIZES).join(', ')}`);
  }
  let lastShown = -1;
  const onDownload = (e: DownloadEvent) => {
    if (e.kind === 'download-start')
      out.note(`downloading ${e.url}${e.bytes ? ` (${(e.bytes / 2 ** 20).toFixed(1)} MiB)` : ''}`);
    if (e.kind === 'download-progress' && e.bytes) {
      const pct = Math.floor((100 * e.received) / e.bytes / 10) * 10;
      if (pct !== lastShown) out.note(`  ${pct}%`);
      lastShown = pct;
    }
    if (e.kind === 'extract') out.note(`unpacked ${e.files} files into ${e.folder}`);
  };
  return loadDataset(name, {
    dataDir: o.dataDir,
    cacheDir: o.cacheDir,
    download: o.download,
    synthetic: { size, seed: parseInteger('--synthetic-seed', o.syntheticSeed, 0) },
    csv: o.csv === undefined ? undefined : parseJsonOption('--csv', o.csv),
    onDownload,
  });
}

/** Applies the preprocessing options. */
export function interactionsFromOptions(ds: Dataset, o: DataOptions): Interactions {
  return preprocess(ds, {
    threshold: o.threshold === 'none' ? null : parseNumber('--threshold', o.threshold, -Infinity),
    binarize: o.binarize,
    minUserItems: parseInteger('--min-user-items', o.minUserItems, 0),
    minItemUsers: parseInteger('--min-item-users', o.minItemUsers, 0),
  });
}

export function splitConfigFromOptions(o: SplitOptions): SplitConfigInput {
  const seed = parseInteger('--seed', o.seed, 0);
  if (o.protocol === 'strong') {
    return {
      type: 'strong',
      seed,
      validationUsers: parseNumber('--validation-users', o.validationUsers, 0),
      testUsers: parseNumber('--test-users', o.testUsers, 0),
      heldOutFraction: parseNumber('--held-out', o.heldOut, 0, 1),
    };
  }
  if (o.protocol === 'weak') {
    if (o.order !== 'random' && o.order !== 'time') throw new ConfigError(`--order ${o.order}; valid: random, time`);
    return { type: 'weak', seed, order: o.order };
  }
  throw new ConfigError(`--protocol ${o.protocol}; valid: strong, weak`);
}

/** A JSON option given inline or as a path to a JSON file. */
export function parseJsonOption(option: string, raw: string): unknown {
  const text = existsSync(raw) ? readFileSync(raw, 'utf8') : raw;
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigError(`${option} must be JSON or a JSON file, got "${raw.slice(0, 60)}"`);
  }
}

export { DATASET_NAMES };
