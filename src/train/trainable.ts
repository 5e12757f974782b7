import { z } from 'zod';

import type { CsrMatrix } from '../engine/csr.js';
import type { Kernels } from '../engine/kernels/types.js';
import type { Adam } from '../engine/optim.js';
import type { BufferPool } from '../engine/pool.js';
import type { Rng } from '../engine/rng.js';
import type { Tensor } from '../engine/tensor.js';

/** Options of the shared trainer; every neural model's config extends these. */
export const TrainerConfig = z.object({
  epochs: z.number().int().positive().default(200).describe('maximum number of training epochs'),
  batchSize: z.number().int().positive().default(500).describe('users per update'),
  lr: z.number().positive().default(1e-3).describe('Adam learning rate'),
  evalEvery: z.number().int().positive().default(1).describe('evaluate validation NDCG@100 every n epochs'),
  patience: z
    .number()
    .int()
    .min(0)
    .default(20)
    .describe('stop after this many evaluations without a better validation NDCG@100 (0: never stop early)'),
});
export type TrainerConfig = z.infer<typeof TrainerConfig>;

/** What one training epoch needs. Randomness is keyed by (epoch, step), so a resumed run draws the same numbers. */
export interface EpochContext {
  kernels: Kernels;
  data: CsrMatrix;
  rng: Rng;
  epoch: number;
  /** Updates done before this epoch. */
  step: number;
  pool: BufferPool;
}

/** A model the trainer can fit: named parameters, its optimisers, one epoch of updates, and scoring. */
export interface Trainable {
  /** Every trainable tensor by a stable name (checkpoints and model files key on it). */
  parameters(): [string, Tensor][];
  /** The model's optimisers by name (created on first call, then the same objects). */
  optimizers(kernels: Kernels): Record<string, Adam>;
  /** One pass over the training data; returns the mean loss and the update count after it. */
  trainEpoch(ctx: EpochContext): { loss: number; step: number };
  /** Scores of every item for a batch of histories (evaluation mode: no dropout, no sampling). */
  score(kernels: Kernels, history: CsrMatrix): Float32Array;
}
