import { Graph } from '../engine/autodiff/graph.js';
import type { CsrMatrix } from '../engine/csr.js';
import type { Kernels } from '../engine/kernels/types.js';
import type { Adam } from '../engine/optim.js';
import type { Rng } from '../engine/rng.js';
import { BufferPool } from '../engine/pool.js';
import type { Tensor } from '../engine/tensor.js';

/** A network trained by minimising a per-batch loss over user histories (rows of a CSR matrix). */
export interface BatchLossModel {
  loss(g: Graph, batch: CsrMatrix, step: number, rng: Rng): Tensor;
}

export interface EpochResult {
  /** Mean of the batch losses. */
  meanLoss: number;
  batches: number;
  /** Update count after the epoch. */
  step: number;
  seconds: number;
}

/**
 * One pass over the users in a random order (keyed by epoch), in batches: forward, backward, optimiser step.
 * Randomness per update is derived from the update number, so a resumed run draws the same numbers.
 */
export function trainEpoch(
  model: BatchLossModel,
  data: CsrMatrix,
  opt: Adam | readonly Adam[],
  kernels: Kernels,
  rng: Rng,
  options: {
    epoch: number;
    step: number;
    batchSize: number;
    maxBatches?: number;
    onBatch?: (loss: number) => void;
    pool?: BufferPool;
  },
): EpochResult {
  const start = performance.now();
  const pool = options.pool ?? new BufferPool();
  const order = rng.derive('order', options.epoch).permutation(data.rows);
  let step = options.step;
  let total = 0;
  let batches = 0;
  for (let s = 0; s < data.rows && batches < (options.maxBatches ?? Infinity); s += options.batchSize) {
    const batch = data.sliceRows(order.subarray(s, s + options.batchSize));
    const g = new Graph(kernels, { pool });
    const loss = model.loss(g, batch, step, rng.derive('step', step));
    g.backward(loss);
    const value = loss.item();
    g.release();
    for (const o of Array.isArray(opt) ? opt : [opt]) {
      o.step();
      o.zeroGrad();
    }
    step++;
    batches++;
    total += value;
    options.onBatch?.(value);
  }
  return { meanLoss: total / Math.max(batches, 1), batches, step, seconds: (performance.now() - start) / 1000 };
}

/** One user-batch epoch of a BatchLossModel with the given optimisers, in the trainer's EpochContext terms. */
export function userBatchEpoch(
  model: BatchLossModel,
  ctx: { kernels: Kernels; data: CsrMatrix; rng: Rng; epoch: number; step: number; pool: BufferPool },
  optimizers: readonly Adam[],
  batchSize: number,
): { loss: number; step: number } {
  const r = trainEpoch(model, ctx.data, optimizers, ctx.kernels, ctx.rng, {
    epoch: ctx.epoch,
    step: ctx.step,
    batchSize,
    pool: ctx.pool,
  });
  return { loss: r.meanLoss, step: r.step };
}
