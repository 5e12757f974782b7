import { z } from 'zod';

import { CsrMatrix } from '../../engine/csr.js';
import { Rng } from '../../engine/rng.js';
import { ProtocolError } from '../errors.js';
import { type Interactions, matrixHash } from '../preprocess.js';

/** A count of users: a fraction of all users when < 1, else a whole number of users. */
const UserCount = z
  .number()
  .positive()
  .refine((v) => v < 1 || Number.isInteger(v), 'a user count >= 1 must be a whole number');

export const StrongSplitConfig = z
  .object({
    type: z.literal('strong'),
    validationUsers: UserCount.default(0.1).describe('held-out validation users: a fraction (< 1) or a count'),
    testUsers: UserCount.default(0.1).describe('held-out test users: a fraction (< 1) or a count (ML-20M: 10000)'),
    heldOutFraction: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.2)
      .describe("share of each held-out user's items to predict: max(1, floor(fraction * n)); the rest is fold-in"),
    seed: z.number().int().min(0).default(1).describe('seed of the user permutation and the hold-out draws'),
  })
  .strict();

export const WeakSplitConfig = z
  .object({
    type: z.literal('weak'),
    testFraction: z.number().gt(0).lt(1).default(0.2).describe("share of every user's interactions held out for test"),
    validationFraction: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.2)
      .describe('share of the remaining training part held out for validation (0.2: 64/16/20 overall)'),
    order: z
      .enum(['random', 'time'])
      .default('random')
      .describe('random draws per user, or time: the latest interactions are held out (needs timestamps)'),
    seed: z.number().int().min(0).default(1).describe('seed of the per-user draws'),
  })
  .strict();

export const SplitConfig = z.discriminatedUnion('type', [StrongSplitConfig, WeakSplitConfig]);
export type SplitConfig = z.infer<typeof SplitConfig>;
/** A split config as written by users: defaults may be left out. */
export type SplitConfigInput = z.input<typeof SplitConfig>;

/** Users evaluated in one phase: their fold-in histories (model input) and held-out items (targets). */
export interface EvalSet {
  /** Interactions row of each user, ascending. */
  users: Int32Array;
  /** [users x items] model input; for weak generalisation the user's training interactions. */
  foldIn: CsrMatrix;
  /** [users x items] items to rank; users with an empty row are not evaluated. */
  heldOut: CsrMatrix;
}

/**
 * A train / validation / test split over a subset of items (columns are split items, see itemSource).
 * Models are fitted on fitValidation for model selection and on fitTest for the final test (the same matrix under
 * strong generalisation; train + validation interactions under weak generalisation).
 */
export interface Split {
  config: SplitConfig;
  dataset: { name: string; interactionsHash: string; users: number; items: number };
  /** Interactions column of every split item. */
  itemSource: Int32Array;
  itemIds: string[];
  /** Original ids of every interactions row (so a split can name users without its dataset). */
  userIds: string[];
  fitValidation: { users: Int32Array; matrix: CsrMatrix };
  fitTest: { users: Int32Array; matrix: CsrMatrix };
  validation: EvalSet;
  test: EvalSet;
}

/** Splits preprocessed interactions by the given protocol. Deterministic in (interactions, config). */
export function makeSplit(data: Interactions, config: SplitConfigInput): Split {
  const cfg = SplitConfig.parse(config);
  const base = {
    config: cfg,
    dataset: {
      name: data.dataset,
      interactionsHash: matrixHash(data.matrix),
      users: data.matrix.rows,
      items: data.matrix.cols,
    },
    userIds: data.userIds,
  };
  return cfg.type === 'strong' ? { ...base, ...strongSplit(data, cfg) } : { ...base, ...weakSplit(data, cfg) };
}

function resolveCount(spec: number, total: number): number {
  return spec < 1 ? Math.round(spec * total) : spec;
}

/** Liang et al.'s vae_cf protocol: disjoint train / validation / test users; held-out users split 80/20. */
function strongSplit(data: Interactions, cfg: z.infer<typeof StrongSplitConfig>) {
  const m = data.matrix;
  const nVal = resolveCount(cfg.validationUsers, m.rows);
  const nTest = resolveCount(cfg.testUsers, m.rows);
  if (nVal + nTest >= m.rows) {
    throw new ProtocolError(
      `strong split: ${nVal} validation + ${nTest} test users leave no training users of ${m.rows}`,
    );
  }
  const rng = Rng.seeded(cfg.seed).derive('split', 'strong');
  const perm = rng.derive('users').permutation(m.rows);
  const nTrain = m.rows - nVal - nTest;
  const sorted = (a: Int32Array) => a.slice().sort();
  const trainUsers = sorted(perm.subarray(0, nTrain));
  const valUsers = sorted(perm.subarray(nTrain, nTrain + nVal));
  const testUsers = sorted(perm.subarray(nTrain + nVal));

  // items: those seen among training users
  const seen = new Uint8Array(m.cols);
  for (const u of trainUsers) for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) seen[m.indices[p]] = 1;
  const itemSource = Int32Array.from(Array.from(seen.keys()).filter((i) => seen[i] === 1));
  const column = new Int32Array(m.cols).fill(-1);
  itemSource.forEach((i, j) => (column[i] = j));

  const train = rowsOf(m, trainUsers, column, () => true);
  const holdOut = (users: Int32Array, phase: string): EvalSet => {
    const targets = new Set<number>(); // entry positions (in m) that are held out
    for (const u of users) {
      const kept: number[] = [];
      for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) if (column[m.indices[p]] >= 0) kept.push(p);
      if (kept.length === 0) continue;
      const k = Math.max(1, Math.floor(cfg.heldOutFraction * kept.length));
      for (const q of rng.derive('heldout', phase, u).sampleWithoutReplacement(kept.length, k)) targets.add(kept[q]);
    }
    return {
      users,
      foldIn: rowsOf(m, users, column, (p) => !targets.has(p)),
      heldOut: rowsOf(m, users, column, (p) => targets.has(p)),
    };
  };
  const fit = { users: trainUsers, matrix: train };
  return {
    itemSource,
    itemIds: Array.from(itemSource, (i) => data.itemIds[i]),
    fitValidation: fit,
    fitTest: fit,
    validation: holdOut(valUsers, 'validation'),
    test: holdOut(testUsers, 'test'),
  };
}

/** Dervishaj et al. / recpack WeakGeneralization: every user's interactions split 64 / 16 / 20. */
function weakSplit(data: Interactions, cfg: z.infer<typeof WeakSplitConfig>) {
  const m = data.matrix;
  if (cfg.order === 'time' && data.timestamps === null) {
    throw new ProtocolError(
      `weak split with order "time": ${data.dataset} has no timestamps (e.g. ML-1M read from ratings-no-timestamps.dat); use order "random"`,
    );
  }
  const rng = Rng.seeded(cfg.seed).derive('split', 'weak');
  const phase = new Uint8Array(m.nnz); // 0 train, 1 validation, 2 test
  for (let u = 0; u < m.rows; u++) {
    const start = m.indptr[u];
    const n = m.indptr[u + 1] - start;
    // order: latest last (time) or a random permutation; the tail is held out
    const order = Int32Array.from({ length: n }, (_, q) => start + q);
    if (cfg.order === 'time') {
      const ts = data.timestamps as Float64Array;
      order.sort((a, b) => ts[a] - ts[b] || m.indices[a] - m.indices[b]);
    } else {
      rng.derive('user', u).shuffle(order);
    }
    const nTest = Math.round(cfg.testFraction * n);
    const nVal = Math.round(cfg.validationFraction * (n - nTest));
    for (let q = n - nTest; q < n; q++) phase[order[q]] = 2;
    for (let q = n - nTest - nVal; q < n - nTest; q++) phase[order[q]] = 1;
  }
  const all = Int32Array.from({ length: m.rows }, (_, u) => u);
  const identity = Int32Array.from({ length: m.cols }, (_, i) => i);
  const train = rowsOf(m, all, identity, (p) => phase[p] === 0);
  const trainPlusVal = rowsOf(m, all, identity, (p) => phase[p] !== 2);
  return {
    itemSource: identity,
    itemIds: data.itemIds.slice(),
    fitValidation: { users: all, matrix: train },
    fitTest: { users: all, matrix: trainPlusVal },
    validation: { users: all, foldIn: train, heldOut: rowsOf(m, all, identity, (p) => phase[p] === 1) },
    test: { users: all, foldIn: trainPlusVal, heldOut: rowsOf(m, all, identity, (p) => phase[p] === 2) },
  };
}

/** The given rows of m restricted to entries that pass `keep` and whose column maps (column[i] >= 0). */
function rowsOf(m: CsrMatrix, users: Int32Array, column: Int32Array, keep: (p: number) => boolean): CsrMatrix {
  const indptr = new Int32Array(users.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  users.forEach((u, r) => {
    for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) {
      const j = column[m.indices[p]];
      if (j >= 0 && keep(p)) {
        indices.push(j);
        values.push(m.values[p]);
      }
    }
    indptr[r + 1] = indices.length;
  });
  const cols = column.reduce((a, j) => Math.max(a, j + 1), 0);
  return new CsrMatrix(users.length, cols, indptr, Int32Array.from(indices), Float32Array.from(values));
}
