import type { Split } from '../data/split/protocols.js';
import { CsrMatrix } from '../engine/csr.js';
import type { Kernels } from '../engine/kernels/types.js';
import { ConfigError } from '../errors.js';
import type { Recommender } from '../models/model.js';
import { representationsOf } from '../models/representations.js';
import { type Matrix, matrix } from './matrix.js';

/** Which user code to measure: the model's own (mu, bottleneck, U; facet-averaged for MacridVAE) or MacridVAE's K x dfac. */
export type CodeKind = 'default' | 'full';

/**
 * Every user of a split with their whole known history over the split's items: training rows plus held-out users'
 * fold-in and held-out items together. Returns the interactions row of each user (ascending) and [users x items].
 */
export function splitHistories(split: Split): { users: Int32Array; history: CsrMatrix } {
  const rowsOf = new Map<number, Set<number>>();
  const add = (users: Int32Array, m: CsrMatrix) => {
    for (let r = 0; r < users.length; r++) {
      let set = rowsOf.get(users[r]);
      if (!set) rowsOf.set(users[r], (set = new Set()));
      for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) set.add(m.indices[p]);
    }
  };
  add(split.fitTest.users, split.fitTest.matrix);
  for (const set of [split.validation, split.test]) {
    add(set.users, set.foldIn);
    add(set.users, set.heldOut);
  }
  const users = Int32Array.from([...rowsOf.keys()].filter((u) => rowsOf.get(u)!.size > 0)).sort();
  const r: number[] = [];
  const c: number[] = [];
  users.forEach((u, k) => {
    for (const j of rowsOf.get(u)!) {
      r.push(k);
      c.push(j);
    }
  });
  return { users, history: CsrMatrix.fromTriplets(users.length, split.itemIds.length, r, c, undefined, 'error') };
}

/** User codes [users x dim] of a fitted model for the given histories, in float64, encoded in batches. */
export function userCodes(
  model: Recommender,
  kernels: Kernels,
  history: CsrMatrix,
  kind: CodeKind = 'default',
): Matrix {
  const reps = representationsOf(model, kernels);
  if (kind === 'full' && !reps.facets)
    throw new ConfigError(`--code full needs MacridVAE's K x dfac facets; ${model.name} has one code`);
  const batch = 1000;
  let out: Matrix | null = null;
  for (let start = 0; start < history.rows; start += batch) {
    const part = history.rowRange(start, Math.min(history.rows, start + batch));
    const codes = kind === 'full' ? reps.facets!(part).facets : reps.userCodes(part);
    out ??= matrix(history.rows, codes.dim);
    out.data.set(codes.data, start * codes.dim);
  }
  return out ?? matrix(0, 0);
}

/**
 * Standardises every column to mean 0 and standard deviation 1 (population sd, as scikit-learn's StandardScaler,
 * which the study applies before every classifier); constant columns become 0.
 */
export function zScore(m: Matrix): Matrix {
  const out = matrix(m.rows, m.cols);
  for (let j = 0; j < m.cols; j++) {
    let s = 0;
    for (let i = 0; i < m.rows; i++) s += m.data[i * m.cols + j];
    const mean = s / Math.max(1, m.rows);
    let s2 = 0;
    for (let i = 0; i < m.rows; i++) s2 += (m.data[i * m.cols + j] - mean) ** 2;
    const sd = Math.sqrt(s2 / Math.max(1, m.rows));
    const inv = sd > 0 ? 1 / sd : 0;
    for (let i = 0; i < m.rows; i++) out.data[i * m.cols + j] = (m.data[i * m.cols + j] - mean) * inv;
  }
  return out;
}
