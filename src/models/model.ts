import type { EvalSet } from '../data/split/protocols.js';
import type { CsrMatrix } from '../engine/csr.js';
import type { Kernels } from '../engine/kernels/types.js';
import type { Rng } from '../engine/rng.js';

/** Progress of a fit, for the CLI's progress display and the studio's live charts; library code never prints. */
export type FitEvent =
  | { kind: 'stage'; stage: string; detail?: string }
  | { kind: 'epoch'; epoch: number; epochs: number; loss: number; seconds: number; metrics?: Record<string, number> };

export interface FitContext {
  kernels: Kernels;
  /** The model's random stream (derive sub-streams by key). */
  rng: Rng;
  onEvent?: (event: FitEvent) => void;
  /** Held-out users for early stopping (neural models; others ignore it). */
  validation?: EvalSet;
  /** Where neural models save their training state after each epoch, and resume from. */
  checkpoint?: string;
  /** Identity of the run (data + config), so a checkpoint of another run is refused. */
  runKey?: string;
  /** Stop after this many epochs of this call, as an interruption would (tests, time-boxed runs). */
  stopAfterEpochs?: number;
}

/** Everything needed to rebuild a fitted model: named arrays with shapes, plus small JSON-able facts. */
export interface ModelState {
  tensors: Record<string, { data: Float32Array | Int32Array; shape: number[] }>;
  meta?: Record<string, unknown>;
}

/**
 * The contract every recommender in the registry implements. Users are rows of a CSR history matrix over the
 * model's items; `score` returns [users x items] and never needs the training data again.
 */
export interface Recommender {
  /** Registry name, e.g. 'ease'. */
  readonly name: string;
  /** The validated configuration (defaults filled in). */
  readonly config: Record<string, unknown>;
  /** Number of items (columns) the model scores. */
  readonly items: number;
  /** Fits on a users x items matrix (binary or weighted). */
  fit(train: CsrMatrix, ctx: FitContext): void;
  /** Scores every item for each history row: [history.rows x items], row-major. */
  score(history: CsrMatrix, kernels: Kernels): Float32Array;
  /** The fitted parameters, for saving. */
  state(): ModelState;
}
