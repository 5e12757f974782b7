import { z } from 'zod';

import type { CsrMatrix } from '../engine/csr.js';
import type { Recommender, ModelState } from './model.js';

export const TopPopConfig = z.object({}).strict().describe('no options: items ranked by training popularity');
export type TopPopConfig = z.infer<typeof TopPopConfig>;

/** Most-popular baseline: every user gets the items ranked by how often they occur in training. */
export class TopPop implements Recommender {
  readonly name = 'toppop';
  readonly config: TopPopConfig;
  readonly items: number;
  private popularity: Float32Array;

  constructor(config: TopPopConfig, items: number, state?: ModelState) {
    this.config = config;
    this.items = items;
    this.popularity = (state?.tensors.popularity?.data as Float32Array | undefined) ?? new Float32Array(items);
  }

  fit(train: CsrMatrix): void {
    this.popularity = new Float32Array(this.items);
    for (let p = 0; p < train.nnz; p++) this.popularity[train.indices[p]] += train.values[p];
  }

  score(history: CsrMatrix): Float32Array {
    const out = new Float32Array(history.rows * this.items);
    for (let r = 0; r < history.rows; r++) out.set(this.popularity, r * this.items);
    return out;
  }

  state(): ModelState {
    return { tensors: { popularity: { data: this.popularity, shape: [this.items] } } };
  }
}
