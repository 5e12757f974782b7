import type { RatingTable } from './table.js';

/** Descriptive item attributes, indexed by the raw item index of the dataset's rating table. */
export interface ItemMeta {
  title: (string | null)[];
  /** Categories (MovieLens genres, CSV categories, synthetic genres); [] when unknown. */
  genres: string[][];
  year: (number | null)[];
  /** Free-text tags where the dataset has them (MovieLens tags.csv). */
  tags?: string[][];
}

/** Per-user attribute columns (e.g. gender, age, occupation), indexed by raw user index. */
export type UserMeta = Record<string, (string | number | null)[]>;

/** The known generative factors of a synthetic dataset (see loaders/synthetic.ts), by raw index. */
export interface GroundTruthFactors {
  /** Factor names in order, e.g. ['genre', 'year', 'quality']. */
  itemFactors: string[];
  /** itemLevels[f][i]: level of item i on factor f (0-based). */
  itemLevels: Int32Array[];
  /** Number of levels of each item factor. */
  itemLevelCounts: number[];
  /** level names per factor, e.g. [['genre-0', ...], ['1960s', ...], ['low', 'mid', 'high']]. */
  itemLevelNames: string[][];
  /** userPreferences[f]: [users x levels_f] row-major preference weights of each user over the levels of factor f. */
  userPreferences: Float32Array[];
}

/** A loaded dataset: raw rating events plus whatever metadata the source has. */
export interface Dataset {
  name: string;
  ratings: RatingTable;
  /** Range of explicit ratings, or null for implicit data (all 1). */
  ratingScale: { min: number; max: number } | null;
  itemMeta: ItemMeta | null;
  userMeta: UserMeta | null;
  factors: GroundTruthFactors | null;
  /** Where the data came from: files read (with their verified checksums) or the generator config. */
  source: DatasetSource;
}

export interface DatasetSource {
  kind: 'files' | 'generated';
  files?: { path: string; sha256?: string; verified?: 'pinned' | 'unpinned' | 'mismatch' }[];
  config?: unknown;
  notes?: string[];
}
