import { UntangleError } from '../../errors.js';
import { ShapeError } from '../errors.js';
import type { Kernels } from '../kernels/types.js';
import type { BufferPool } from '../pool.js';
import { Tensor } from '../tensor.js';

export interface TapeOptions {
  /** Record operations for backward (default true). false is the no-gradient inference mode. */
  grad?: boolean;
  /**
   * Take large output buffers from this pool; `release()` hands them back. Every tensor the tape created is invalid
   * after release(), so only training loops that keep nothing but scalars should pass one.
   */
  pool?: BufferPool;
}

interface Entry {
  out: Tensor;
  backward: () => void;
}

/**
 * Reverse-mode autodiff: a define-by-run tape. Each op computes its output eagerly and, when an input requires a
 * gradient, records a closure that adds the output's gradient into the inputs' gradients. `backward(loss)` runs the
 * closures in reverse order. One tape per training step; parameters live across tapes and accumulate into `.grad`.
 */
export class Tape {
  readonly kernels: Kernels;
  readonly recording: boolean;
  private entries: Entry[] = [];
  private done = false;
  private readonly pool: BufferPool | null;
  private owned: Float32Array[] = [];

  constructor(kernels: Kernels, options: TapeOptions = {}) {
    this.kernels = kernels;
    this.recording = options.grad ?? true;
    this.pool = options.pool ?? null;
  }

  /** True if an op over these inputs must be differentiated. */
  tracks(...inputs: readonly (Tensor | null | undefined)[]): boolean {
    if (!this.recording) return false;
    for (const t of inputs) if (t && t.requiresGrad) return true;
    return false;
  }

  /**
   * A new output tensor; it requires grad iff `tracked`. Its values are zero, unless `overwrite` promises the op
   * writes every element (then a pooled buffer is not cleared).
   */
  output(rows: number, cols: number, tracked: boolean, overwrite = false): Tensor {
    return new Tensor(rows, cols, this.buffer(rows * cols, !overwrite), tracked, false);
  }

  /** A scratch buffer owned by this tape (pooled when a pool was given); zero-filled when `zero`. */
  buffer(size: number, zero: boolean): Float32Array {
    if (this.pool === null) return new Float32Array(size);
    const buf = this.pool.take(size, zero);
    this.owned.push(buf);
    return buf;
  }

  /** Hands every pooled buffer this tape allocated back to its pool; the tape's tensors are invalid afterwards. */
  release(): void {
    if (this.pool === null) return;
    for (const buf of this.owned) this.pool.give(buf);
    this.owned = [];
  }

  /** Registers the backward step of an op whose output is `out` (only call when the op is tracked). */
  record(out: Tensor, backward: () => void): void {
    if (this.done) throw new UntangleError('E_TAPE', 'tape: backward() already ran; start a new tape per step');
    this.entries.push({ out, backward });
  }

  /**
   * Backpropagates from a [1 x 1] loss: parameters' `.grad` buffers receive (accumulate) d loss / d param.
   * Intermediate gradients are released as soon as they have been propagated.
   */
  backward(loss: Tensor): void {
    if (loss.size !== 1) throw new ShapeError(`backward: loss must be [1x1], got ${loss.shapeString()}`);
    if (!loss.requiresGrad) throw new UntangleError('E_TAPE', 'backward: the loss does not depend on any parameter');
    if (this.done) throw new UntangleError('E_TAPE', 'tape: backward() already ran; start a new tape per step');
    loss.gradBuffer()[0] += 1;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const { out, backward } = this.entries[i];
      if (out.grad !== null) backward();
      out.grad = null;
    }
    this.entries = [];
    this.done = true;
  }

  /** Number of recorded ops (for tests). */
  get size(): number {
    return this.entries.length;
  }
}
