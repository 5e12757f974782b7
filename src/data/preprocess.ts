import { createHash } from 'node:crypto';

import { z } from 'zod';

import { CsrMatrix } from '../engine/csr.js';
import type { Dataset } from './dataset.js';

export const PreprocessConfig = z
  .object({
    threshold: z
      .number()
      .nullable()
      .default(3.5)
      .describe('keep ratings strictly above this value (Liang et al.: 3.5); null keeps every rating'),
    binarize: z.boolean().default(true).describe('store kept interactions as 1 (implicit feedback) instead of ratings'),
    minUserItems: z
      .number()
      .int()
      .min(0)
      .default(5)
      .describe('drop users with fewer interactions (Liang et al.: 5); applied iteratively with minItemUsers'),
    minItemUsers: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('drop items with fewer users; with minUserItems this is an iterative k-core filter'),
  })
  .strict();
export type PreprocessConfig = z.infer<typeof PreprocessConfig>;

/** What preprocessing kept and dropped, for data info and manifests. */
export interface PreprocessStats {
  ratings: number;
  belowThreshold: number;
  duplicates: number;
  droppedByCore: number;
  kept: number;
  users: number;
  items: number;
}

/** The user x item matrix a model trains on, with the original ids and the way back to the raw dataset. */
export interface Interactions {
  dataset: string;
  /** users x items; values are 1 (binarised) or the kept ratings. Rows and columns are sorted by raw index. */
  matrix: CsrMatrix;
  userIds: string[];
  itemIds: string[];
  /** Raw (dataset table) index of every matrix row / column, to reach metadata and ground-truth factors. */
  userSource: Int32Array;
  itemSource: Int32Array;
  /** Unix seconds of each stored entry (aligned with matrix.indices), or null when the data has none. */
  timestamps: Float64Array | null;
  preprocessing: PreprocessConfig;
  stats: PreprocessStats;
}

/**
 * Turns raw ratings into the training matrix: threshold filter, de-duplication (a (user, item) pair given more than
 * once keeps its latest event: highest timestamp, ties and timestamp-less data resolved by file order), then an
 * iterative user/item k-core filter. O(ratings) with typed arrays (two counting sorts), fast enough for ML-20M.
 */
export function preprocess(ds: Dataset, config: Partial<PreprocessConfig> = {}): Interactions {
  const cfg = PreprocessConfig.parse(config);
  const t = ds.ratings;
  const nUsers = t.userIds.length;
  const nItems = t.itemIds.length;
  let rows: Int32Array = Int32Array.from({ length: t.user.length }, (_, i) => i);
  if (cfg.threshold !== null) {
    const thr = cfg.threshold;
    rows = rows.filter((r) => t.rating[r] > thr);
  }
  const belowThreshold = t.user.length - rows.length;
  rows = countingSort(countingSort(rows, nItems, t.item), nUsers, t.user);

  // de-duplicate: within each (user, item) run keep the latest event
  const unique = new Int32Array(rows.length);
  let nUnique = 0;
  for (let q = 0; q < rows.length;) {
    let best = rows[q];
    let e = q + 1;
    while (e < rows.length && t.user[rows[e]] === t.user[best] && t.item[rows[e]] === t.item[best]) {
      const r = rows[e];
      if (!t.timestamp || t.timestamp[r] >= t.timestamp[best]) best = r;
      e++;
    }
    unique[nUnique++] = best;
    q = e;
  }
  const duplicates = rows.length - nUnique;
  let kept = unique.subarray(0, nUnique);

  // iterative k-core
  for (;;) {
    const uc = new Int32Array(nUsers);
    const ic = new Int32Array(nItems);
    for (const r of kept) {
      uc[t.user[r]]++;
      ic[t.item[r]]++;
    }
    const next = kept.filter((r) => uc[t.user[r]] >= cfg.minUserItems && ic[t.item[r]] >= cfg.minItemUsers);
    if (next.length === kept.length) break;
    kept = next;
  }
  const droppedByCore = nUnique - kept.length;

  // dense re-indexing in raw-index order keeps rows sorted by (user, item)
  const userNew = new Int32Array(nUsers).fill(-1);
  const itemNew = new Int32Array(nItems).fill(-1);
  for (const r of kept) {
    userNew[t.user[r]] = 0;
    itemNew[t.item[r]] = 0;
  }
  const userSource = reindex(userNew);
  const itemSource = reindex(itemNew);
  const indptr = new Int32Array(userSource.length + 1);
  const indices = new Int32Array(kept.length);
  const values = new Float32Array(kept.length);
  const timestamps = t.timestamp ? new Float64Array(kept.length) : null;
  kept.forEach((r, p) => {
    indptr[userNew[t.user[r]] + 1]++;
    indices[p] = itemNew[t.item[r]];
    values[p] = cfg.binarize ? 1 : t.rating[r];
    if (timestamps && t.timestamp) timestamps[p] = t.timestamp[r];
  });
  for (let u = 0; u < userSource.length; u++) indptr[u + 1] += indptr[u];
  const matrix = new CsrMatrix(userSource.length, itemSource.length, indptr, indices, values);
  return {
    dataset: ds.name,
    matrix,
    userIds: Array.from(userSource, (u) => t.userIds[u]),
    itemIds: Array.from(itemSource, (i) => t.itemIds[i]),
    userSource,
    itemSource,
    timestamps,
    preprocessing: cfg,
    stats: {
      ratings: t.user.length,
      belowThreshold,
      duplicates,
      droppedByCore,
      kept: kept.length,
      users: userSource.length,
      items: itemSource.length,
    },
  };
}

/** Marks (value >= 0) become consecutive new indices in place; returns new -> raw. */
function reindex(mark: Int32Array): Int32Array {
  const source: number[] = [];
  for (let raw = 0; raw < mark.length; raw++) {
    if (mark[raw] >= 0) {
      mark[raw] = source.length;
      source.push(raw);
    }
  }
  return Int32Array.from(source);
}

/** Stable counting sort of row ids by key[row] in [0, keys). */
function countingSort(rows: Int32Array, keys: number, key: Int32Array): Int32Array {
  const start = new Int32Array(keys + 1);
  for (const r of rows) start[key[r] + 1]++;
  for (let k = 0; k < keys; k++) start[k + 1] += start[k];
  const out = new Int32Array(rows.length);
  for (const r of rows) out[start[key[r]]++] = r;
  return out;
}

/** SHA-256 of a matrix's structure and values: identifies the exact data a split or model was built from. */
export function matrixHash(m: CsrMatrix): string {
  const h = createHash('sha256');
  h.update(`${m.rows}x${m.cols}:`);
  for (const a of [m.indptr, m.indices, m.values]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex');
}
