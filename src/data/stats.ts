import type { CsrMatrix } from '../engine/csr.js';
import type { Dataset } from './dataset.js';
import type { Interactions } from './preprocess.js';

export interface Distribution {
  min: number;
  median: number;
  mean: number;
  max: number;
}

export function distribution(values: ArrayLike<number>): Distribution {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return { min: 0, median: 0, mean: 0, max: 0 };
  const mid = s.length >> 1;
  return {
    min: s[0],
    median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2,
    mean: s.reduce((a, b) => a + b, 0) / s.length,
    max: s[s.length - 1],
  };
}

/** Per-row and per-column interaction counts of a matrix. */
export function matrixCounts(m: CsrMatrix): { perUser: Distribution; perItem: Distribution; density: number } {
  const perItem = new Int32Array(m.cols);
  for (let p = 0; p < m.nnz; p++) perItem[m.indices[p]]++;
  return {
    perUser: distribution(Int32Array.from({ length: m.rows }, (_, r) => m.rowNnz(r))),
    perItem: distribution(perItem),
    density: m.nnz / Math.max(1, m.rows * m.cols),
  };
}

/** What `untangle data info` reports: the raw data and the preprocessed matrix. */
export function datasetInfo(ds: Dataset, data: Interactions) {
  const t = ds.ratings;
  const histogram: Record<string, number> = {};
  for (const r of t.rating) histogram[String(r)] = (histogram[String(r)] ?? 0) + 1;
  let first = Infinity;
  let last = -Infinity;
  if (t.timestamp) for (const x of t.timestamp) ((first = Math.min(first, x)), (last = Math.max(last, x)));
  const userCounts = new Int32Array(t.userIds.length);
  const itemCounts = new Int32Array(t.itemIds.length);
  for (let i = 0; i < t.user.length; i++) (userCounts[t.user[i]]++, itemCounts[t.item[i]]++);
  return {
    dataset: ds.name,
    raw: {
      users: t.userIds.length,
      items: t.itemIds.length,
      ratings: t.user.length,
      density: t.user.length / Math.max(1, t.userIds.length * t.itemIds.length),
      ratingScale: ds.ratingScale,
      ratingHistogram: histogram,
      timestamps: t.timestamp
        ? { first: new Date(first * 1000).toISOString(), last: new Date(last * 1000).toISOString() }
        : null,
      perUser: distribution(userCounts),
      perItem: distribution(itemCounts),
    },
    preprocessed: { config: data.preprocessing, stats: data.stats, ...matrixCounts(data.matrix) },
    metadata: {
      itemTitles: ds.itemMeta ? ds.itemMeta.title.filter((x) => x !== null).length : 0,
      itemGenres: ds.itemMeta ? [...new Set(ds.itemMeta.genres.flat())].sort() : [],
      itemTags: ds.itemMeta?.tags ? ds.itemMeta.tags.filter((x) => x.length > 0).length : 0,
      userColumns: ds.userMeta ? Object.keys(ds.userMeta) : [],
      groundTruthFactors: ds.factors ? ds.factors.itemFactors : [],
    },
    source: ds.source,
  };
}
