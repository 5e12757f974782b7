import { existsSync } from 'node:fs';
import { join } from 'node:path';

import envPaths from 'env-paths';

import { ConfigError } from '../errors.js';
import type { Dataset } from './dataset.js';
import { type DownloadEvent, type DownloadSpec, ensureDownloaded } from './download.js';
import { DataMissingError } from './errors.js';
import { CsvConfig, loadCsv } from './loaders/csv.js';
import { MOVIELENS_FILES, type MovieLensVariant, loadMovieLens } from './loaders/movielens.js';
import { loadNetflix } from './loaders/netflix.js';
import { type SyntheticConfig, generateSynthetic } from './loaders/synthetic.js';

const GROUPLENS = 'https://files.grouplens.org/datasets/movielens';

/** The GroupLens archives: URL, the MD5 GroupLens publishes, and what to extract. */
export const MOVIELENS_DOWNLOADS: Record<MovieLensVariant, DownloadSpec> = {
  'ml-100k': { url: `${GROUPLENS}/ml-100k.zip`, md5: '0e33842e24a9c977be4e0107933c0723', folder: 'ml-100k' },
  'ml-1m': { url: `${GROUPLENS}/ml-1m.zip`, md5: 'c4d9eecfca2ab87c1945afe126590906', folder: 'ml-1m' },
  'ml-20m': {
    url: `${GROUPLENS}/ml-20m.zip`,
    md5: 'cd245b17a1ae2cc31bb14903e1204af3',
    folder: 'ml-20m',
    only: ['ratings.csv', 'movies.csv', 'tags.csv', 'links.csv', 'README.txt'],
  },
  'ml-latest-small': { url: `${GROUPLENS}/ml-latest-small.zip`, folder: 'ml-latest-small' },
};

/** Where and how to get a dataset's files. */
export interface LoadOptions {
  /** Read files from this folder (no network); for MovieLens the unzipped GroupLens folder or its parent. */
  dataDir?: string;
  /** Download cache (default: the user cache dir, e.g. ~/.cache/untangle-nodejs/datasets). */
  cacheDir?: string;
  /** Allow downloading when the files are not cached (default true). */
  download?: boolean;
  synthetic?: Partial<SyntheticConfig>;
  csv?: unknown;
  onDownload?: (event: DownloadEvent) => void;
}

interface DatasetEntry {
  description: string;
  load(options: LoadOptions): Promise<Dataset>;
}

function movielens(variant: MovieLensVariant, description: string): DatasetEntry {
  return {
    description,
    async load(o) {
      if (o.dataDir) return loadMovieLens(variant, o.dataDir);
      const cache = o.cacheDir ?? defaultCacheDir();
      const folder = join(cache, variant);
      const files = MOVIELENS_FILES[variant].map((alts) => alts[0]);
      if (!files.every((f) => existsSync(join(folder, f)))) {
        if (o.download === false) {
          throw new DataMissingError(
            `${variant} is not in the cache (${folder}) and downloading is off. Unzip ${MOVIELENS_DOWNLOADS[variant].url} ` +
              `there, or pass --data-dir with the folder holding ${files.join(', ')}.`,
          );
        }
        await ensureDownloaded(MOVIELENS_DOWNLOADS[variant], cache, o.onDownload, files);
      }
      return loadMovieLens(variant, folder);
    },
  };
}

/** Every dataset untangle can load, by name. */
export const DATASETS = {
  synthetic: {
    description: 'built-in generator with known genre / year / quality factors (no files, no network)',
    load: async (o: LoadOptions) => generateSynthetic(o.synthetic),
  },
  'ml-100k': movielens('ml-100k', 'MovieLens 100K (943 users, 1,682 movies, 1998)'),
  'ml-1m': movielens('ml-1m', 'MovieLens 1M (6,040 users, 3,706 rated movies, 2003)'),
  'ml-20m': movielens('ml-20m', 'MovieLens 20M (138,493 users, 26,744 movies, 2015)'),
  'ml-latest-small': movielens('ml-latest-small', 'MovieLens latest-small (610 users, 9,724 movies, 2018)'),
  netflix: {
    description: 'Netflix Prize (local files only: --data-dir with training_set/ or combined_data_*.txt)',
    async load(o: LoadOptions) {
      if (!o.dataDir) {
        throw new DataMissingError(
          'netflix cannot be downloaded (no public source); pass --data-dir with training_set/mv_*.txt or combined_data_1..4.txt and movie_titles.txt',
        );
      }
      return loadNetflix(o.dataDir);
    },
  },
  csv: {
    description: 'any CSV/TSV interaction file with a column mapping (--csv options)',
    load: async (o: LoadOptions) => loadCsv(CsvConfig.parse(o.csv ?? {})),
  },
} as const satisfies Record<string, DatasetEntry>;

export type DatasetName = keyof typeof DATASETS;
export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];

/** Loads a dataset by name; an unknown name fails with the list of valid ones. */
export function loadDataset(name: string, options: LoadOptions = {}): Promise<Dataset> {
  if (!(name in DATASETS)) throw new ConfigError(`unknown dataset "${name}"; valid: ${DATASET_NAMES.join(', ')}`);
  return DATASETS[name as DatasetName].load(options);
}

/** The default download cache folder. */
export function defaultCacheDir(): string {
  return process.env.UNTANGLE_CACHE_DIR ?? join(envPaths('untangle').cache, 'datasets');
}
