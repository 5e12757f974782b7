import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';

import type { EvalSet } from '../data/split/protocols.js';
import type { CsrMatrix } from '../engine/csr.js';
import type { Kernels } from '../engine/kernels/types.js';
import { BufferPool } from '../engine/pool.js';
import type { Rng } from '../engine/rng.js';
import { UntangleError } from '../errors.js';
import { evaluate } from '../eval/evaluate.js';
import { parseMetric } from '../eval/metrics.js';
import { loadCheckpoint, saveCheckpoint } from '../models/checkpoint.js';
import type { FitEvent } from '../models/model.js';
import type { Trainable, TrainerConfig } from './trainable.js';

export interface TrainOptions {
  kernels: Kernels;
  rng: Rng;
  /** Held-out users for early stopping (validation NDCG@100); without them training runs all epochs. */
  validation?: EvalSet;
  onEvent?: (e: FitEvent) => void;
  /** Save the training state here after every epoch (atomically) and resume from it if it exists. */
  checkpoint?: string;
  /** Identity of the run (config + data): a checkpoint from another run is refused. */
  runKey?: string;
  /** Stop after this many epochs in this call, as an interruption would (for tests and time-boxed runs). */
  stopAfterEpochs?: number;
}

export interface TrainSummary {
  epochsRun: number;
  bestEpoch: number | null;
  bestMetric: number | null;
  /** Per evaluated epoch: [epoch, mean loss, validation NDCG@100]. */
  history: [number, number, number | null][];
  interrupted: boolean;
  resumedFrom: number | null;
  seconds: number;
}

/** A training run in progress, as saved in checkpoints. */
interface RunState {
  epoch: number; // next epoch to run
  step: number;
  best: number | null;
  bestEpoch: number | null;
  sinceBest: number;
  history: [number, number, number | null][];
}

/** The error for a checkpoint that belongs to a different run. */
export class CheckpointMismatchError extends UntangleError {
  constructor(path: string) {
    super(
      'E_CHECKPOINT',
      `${path} belongs to another training run (different model config or data); delete it to start over`,
    );
  }
}

/**
 * Fits a Trainable: epochs of updates, validation NDCG@100 every `evalEvery` epochs with early stopping after
 * `patience` evaluations without improvement, and the best weights restored at the end. With `checkpoint` the whole
 * state (weights, best weights, optimiser moments, counters) is written after each epoch and a later call resumes
 * from it: since every random draw is keyed by (epoch, step), a resumed run ends exactly as an uninterrupted one.
 */
export function train(model: Trainable, data: CsrMatrix, config: TrainerConfig, o: TrainOptions): TrainSummary {
  const start = performance.now();
  const params = model.parameters();
  const opts = model.optimizers(o.kernels);
  const best = params.map(([, p]) => p.data.slice());
  const metric = parseMetric('ndcg@100');
  let state: RunState = { epoch: 0, step: 0, best: null, bestEpoch: null, sinceBest: 0, history: [] };
  let resumedFrom: number | null = null;
  const runKey = createHash('sha256')
    .update(o.runKey ?? '')
    .digest('hex');
  if (o.checkpoint && existsSync(o.checkpoint)) {
    state = restore(o.checkpoint, runKey, params, best, opts);
    resumedFrom = state.epoch;
    o.onEvent?.({ kind: 'stage', stage: 'resume', detail: `from ${o.checkpoint} at epoch ${state.epoch}` });
  }
  const pool = new BufferPool();
  let ranThisCall = 0;
  let interrupted = false;
  while (state.epoch < config.epochs) {
    if (config.patience > 0 && state.sinceBest >= config.patience) break;
    if (o.stopAfterEpochs !== undefined && ranThisCall >= o.stopAfterEpochs) {
      interrupted = true;
      break;
    }
    const t = performance.now();
    const r = model.trainEpoch({ kernels: o.kernels, data, rng: o.rng, epoch: state.epoch, step: state.step, pool });
    state.step = r.step;
    let value: number | null = null;
    if (o.validation && (state.epoch + 1) % config.evalEvery === 0) {
      value = evaluate(o.kernels, (h) => model.score(o.kernels, h), o.validation, { metrics: [metric] }).metrics[
        'ndcg@100'
      ].mean;
      if (state.best === null || value > state.best) {
        state.best = value;
        state.bestEpoch = state.epoch;
        state.sinceBest = 0;
        params.forEach(([, p], i) => best[i].set(p.data));
      } else {
        state.sinceBest++;
      }
    }
    state.history.push([state.epoch, r.loss, value]);
    o.onEvent?.({
      kind: 'epoch',
      epoch: state.epoch + 1,
      epochs: config.epochs,
      loss: r.loss,
      seconds: (performance.now() - t) / 1000,
      ...(value !== null ? { metrics: { 'validation ndcg@100': value } } : {}),
    });
    state.epoch++;
    ranThisCall++;
    if (o.checkpoint) save(o.checkpoint, runKey, state, params, best, opts);
  }
  if (!interrupted) {
    if (state.bestEpoch !== null) params.forEach(([, p], i) => p.data.set(best[i]));
    if (o.checkpoint) rmSync(o.checkpoint, { force: true });
  }
  return {
    epochsRun: state.epoch,
    bestEpoch: state.bestEpoch,
    bestMetric: state.best,
    history: state.history,
    interrupted,
    resumedFrom,
    seconds: (performance.now() - start) / 1000,
  };
}

type Optimizers = ReturnType<Trainable['optimizers']>;

function save(
  path: string,
  runKey: string,
  state: RunState,
  params: [string, import('../engine/tensor.js').Tensor][],
  best: Float32Array[],
  opts: Optimizers,
): void {
  const tensors: Record<string, { data: Float32Array; shape: number[] }> = {};
  params.forEach(([name, p], i) => {
    tensors[`param/${name}`] = { data: p.data, shape: [p.rows, p.cols] };
    tensors[`best/${name}`] = { data: best[i], shape: [p.rows, p.cols] };
  });
  const steps: Record<string, number> = {};
  for (const [name, opt] of Object.entries(opts)) {
    const s = opt.getState();
    steps[name] = s.step;
    s.m.forEach((m, i) => (tensors[`opt/${name}/m/${i}`] = { data: m, shape: [m.length] }));
    s.v.forEach((v, i) => (tensors[`opt/${name}/v/${i}`] = { data: v, shape: [v.length] }));
  }
  saveCheckpoint(
    path,
    { name: 'training-state', config: {}, items: 0 },
    { tensors, meta: { runKey, state, steps } },
    {},
  );
}

function restore(
  path: string,
  runKey: string,
  params: [string, import('../engine/tensor.js').Tensor][],
  best: Float32Array[],
  opts: Optimizers,
): RunState {
  const { state: ck } = loadCheckpoint(path);
  const meta = ck.meta as { runKey: string; state: RunState; steps: Record<string, number> };
  if (meta.runKey !== runKey) throw new CheckpointMismatchError(path);
  const get = (name: string) => {
    const t = ck.tensors[name];
    if (!t) throw new CheckpointMismatchError(path);
    return t.data as Float32Array;
  };
  params.forEach(([name, p], i) => {
    p.data.set(get(`param/${name}`));
    best[i].set(get(`best/${name}`));
  });
  for (const [name, opt] of Object.entries(opts)) {
    const n = opt.getState().m.length;
    opt.setState({
      step: meta.steps[name],
      m: Array.from({ length: n }, (_, i) => get(`opt/${name}/m/${i}`)),
      v: Array.from({ length: n }, (_, i) => get(`opt/${name}/v/${i}`)),
    });
  }
  return meta.state;
}
