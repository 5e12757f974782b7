import { CsrMatrix } from '../engine/csr.js';
import type { Rng } from '../engine/rng.js';
import { searchCdf } from './sampling.js';

/** Shape of a random interaction matrix for speed benchmarks. */
export interface ShapedSpec {
  users: number;
  items: number;
  /** Draws before de-duplication; the matrix ends with somewhat fewer distinct positives. */
  draws: number;
  /** Items per user at least (default 20, as MovieLens guarantees). */
  minPerUser?: number;
}

/** ML-1M's shape (6,040 users x 3,706 items, ~575k positives) and ML-20M's (136,677 x 20,108, ~10M). */
export const SHAPES = {
  'ml-1m': { users: 6040, items: 3706, draws: 575_000 },
  'ml-20m': { users: 136_677, items: 20_108, draws: 136_677 * 86 },
} as const satisfies Record<string, ShapedSpec>;

/**
 * Random binary user x item interactions with a realistic skew and no structure: item popularity ~ (rank + 10)^-0.9,
 * user activity log-normal (sigma 0.9). Used to time training at a dataset's shape; the same recipe as the PyTorch
 * peer script in ../shared/peers, so both sides train on matrices of the same size and skew.
 */
export function shapedInteractions(spec: ShapedSpec, rng: Rng): CsrMatrix {
  const { users, items, draws } = spec;
  const minPerUser = spec.minPerUser ?? 20;
  const cdf = new Float64Array(items);
  let acc = 0;
  for (let i = 0; i < items; i++) cdf[i] = acc += 1 / Math.pow(i + 10, 0.9);
  for (let i = 0; i < items; i++) cdf[i] /= acc;
  const actRng = rng.derive('activity');
  const activity = new Float64Array(users);
  let total = 0;
  for (let u = 0; u < users; u++) total += activity[u] = Math.exp(0.9 * actRng.normal());
  const perUser = Int32Array.from(activity, (a) => Math.max(minPerUser, Math.round((a / total) * draws)));
  const capacity = perUser.reduce((s, n) => s + n, 0);
  // typed buffers: at ML-20M shape there are ~12M draws, too many for plain arrays
  const rows = new Int32Array(capacity);
  const cols = new Int32Array(capacity);
  let k = 0;
  const pick = rng.derive('items');
  const seen = new Set<number>();
  for (let u = 0; u < users; u++) {
    seen.clear();
    for (let d = 0; d < perUser[u]; d++) seen.add(searchCdf(cdf, pick.uniform()));
    for (const i of seen) {
      rows[k] = u;
      cols[k++] = i;
    }
  }
  return CsrMatrix.fromTriplets(users, items, rows.subarray(0, k), cols.subarray(0, k), undefined, 'error');
}
