import type { CsrMatrix } from '../engine/csr.js';
import type { Kernels } from '../engine/kernels/types.js';
import type { Recommender } from './model.js';

export interface Recommendation {
  /** [rows x k] item columns, best first; -1 where fewer than k items remain. */
  items: Int32Array;
  /** Their scores, aligned with items (NaN for -1). */
  scores: Float32Array;
  k: number;
}

/** Top-k items for each history row; items in the history are excluded unless `excludeSeen` is false. */
export function recommend(
  kernels: Kernels,
  model: Recommender,
  history: CsrMatrix,
  k: number,
  options: { excludeSeen?: boolean } = {},
): Recommendation {
  const exclude = options.excludeSeen ?? true;
  const k1 = Math.min(k, model.items);
  const scores = model.score(history, kernels);
  const items = new Int32Array(history.rows * k1);
  const none = new Int32Array(history.rows + 1);
  kernels.topK(
    history.rows,
    model.items,
    scores,
    exclude ? history.indptr : none,
    exclude ? history.indices : new Int32Array(0),
    k1,
    items,
  );
  const top = Float32Array.from(items, (j, p) => (j >= 0 ? scores[Math.floor(p / k1) * model.items + j] : Number.NaN));
  return { items, scores: top, k: k1 };
}
