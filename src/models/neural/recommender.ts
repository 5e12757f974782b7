import type { CsrMatrix } from '../../engine/csr.js';
import type { Kernels } from '../../engine/kernels/types.js';
import { Rng } from '../../engine/rng.js';
import { type TrainSummary, train } from '../../train/trainer.js';
import type { Trainable, TrainerConfig } from '../../train/trainable.js';
import { CheckpointError } from '../checkpoint.js';
import type { FitContext, ModelState, Recommender } from '../model.js';

/** A network that also exposes user codes (the representations untangle measures and decodes). */
export interface NeuralNet extends Trainable {
  /** User codes for a batch of histories: [rows x codeDim] (mu for VAEs, the bottleneck for AEs). */
  codes(kernels: Kernels, history: CsrMatrix): Float32Array;
}

/**
 * Puts a trainable network behind the Recommender contract: fit() builds it from the seed and trains it with the
 * shared trainer (early stopping on the validation users when given, checkpoint/resume when asked); state() is its
 * named parameters, so a loaded model scores exactly as the saved one.
 */
export class NeuralRecommender<N extends NeuralNet> implements Recommender {
  readonly name: string;
  readonly config: TrainerConfig & Record<string, unknown>;
  readonly items: number;
  private readonly build: (rng: Rng, users: number) => N;
  private network: N | null = null;
  /** How the last fit went (epochs, best epoch, validation curve). */
  summary: TrainSummary | null = null;

  /** `build(rng, users)` makes the network; `users` (training users) matters only to models with user factors. */
  constructor(
    name: string,
    config: TrainerConfig & Record<string, unknown>,
    items: number,
    build: (rng: Rng, users: number) => N,
    state?: ModelState,
  ) {
    this.name = name;
    this.config = config;
    this.items = items;
    this.build = build;
    if (state) {
      const net = build(Rng.seeded(0), state.tensors['users.w']?.shape[0] ?? 0);
      for (const [key, p] of net.parameters()) {
        const t = state.tensors[key];
        if (!t || t.data.length !== p.size)
          throw new CheckpointError(name, `parameter ${key} is missing or has the wrong size`);
        p.data.set(t.data as Float32Array);
      }
      this.network = net;
      this.summary = (state.meta?.summary as TrainSummary | undefined) ?? null;
    }
  }

  /** The fitted network (for representations). */
  get net(): N {
    if (!this.network) throw new Error(`${this.name}: fit() first`);
    return this.network;
  }

  fit(data: CsrMatrix, ctx: FitContext): void {
    const net = this.build(ctx.rng.derive('init'), data.rows);
    this.network = net;
    this.summary = train(net, data, this.config, {
      kernels: ctx.kernels,
      rng: ctx.rng.derive('train'),
      validation: ctx.validation,
      onEvent: ctx.onEvent,
      checkpoint: ctx.checkpoint,
      runKey: ctx.runKey,
      stopAfterEpochs: ctx.stopAfterEpochs,
    });
  }

  score(history: CsrMatrix, kernels: Kernels): Float32Array {
    return this.net.score(kernels, history);
  }

  state(): ModelState {
    const tensors: ModelState['tensors'] = {};
    for (const [key, p] of this.net.parameters()) tensors[key] = { data: p.data, shape: [p.rows, p.cols] };
    return { tensors, meta: { summary: this.summary } };
  }
}
