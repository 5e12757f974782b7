import { ShapeError, fmtShape } from './errors.js';

/**
 * A dense row-major float32 matrix. Every engine value is 2-D: a vector is [1 x n] (a row, e.g. a bias) or [n x 1]
 * (a column, e.g. a per-user loss), a scalar is [1 x 1]. Keeping one rank keeps every kernel and gradient simple.
 */
export class Tensor {
  readonly rows: number;
  readonly cols: number;
  /** Values, row-major; length rows * cols. */
  data: Float32Array;
  /** Gradient of the loss w.r.t. this tensor, allocated on first use during backward; null until then. */
  grad: Float32Array | null = null;
  /** True for parameters and for every value computed from one while a tape records. */
  readonly requiresGrad: boolean;
  /** False for values computed by an op (their gradient buffers are transient); true for inputs and parameters. */
  readonly leaf: boolean;

  constructor(rows: number, cols: number, data?: Float32Array, requiresGrad = false, leaf = true) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new ShapeError(`tensor: invalid shape ${fmtShape(rows, cols)}`);
    }
    const size = rows * cols;
    if (data && data.length !== size) {
      throw new ShapeError(`tensor: ${data.length} values do not fill shape ${fmtShape(rows, cols)}`);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? new Float32Array(size);
    this.requiresGrad = requiresGrad;
    this.leaf = leaf;
  }

  /** A [rows x cols] tensor of zeros. */
  static zeros(rows: number, cols: number): Tensor {
    return new Tensor(rows, cols);
  }

  /** A tensor holding a copy of `values` (row-major). */
  static from(rows: number, cols: number, values: ArrayLike<number>): Tensor {
    return new Tensor(rows, cols, Float32Array.from(values));
  }

  /** A trainable parameter (requiresGrad) that takes ownership of `data`. */
  static param(rows: number, cols: number, data?: Float32Array): Tensor {
    return new Tensor(rows, cols, data, true);
  }

  /** A [1 x 1] tensor. */
  static scalar(value: number): Tensor {
    return new Tensor(1, 1, Float32Array.of(value));
  }

  get size(): number {
    return this.rows * this.cols;
  }

  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** The value at (row, col). */
  get(row: number, col: number): number {
    return this.data[row * this.cols + col];
  }

  /** The single value of a [1 x 1] tensor. */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item: expected a [1x1] tensor, got ${this.shapeString()}`);
    return this.data[0];
  }

  /** The gradient buffer, allocated (zeroed) if this is its first use. */
  gradBuffer(): Float32Array {
    if (this.grad === null) this.grad = new Float32Array(this.size);
    return this.grad;
  }

  /** A copy of the values that does not require grad. */
  detach(): Tensor {
    return new Tensor(this.rows, this.cols, this.data.slice());
  }

  /** The same values (no copy) as a tensor that does not require grad: freezes a parameter for one graph. */
  detachedView(): Tensor {
    return new Tensor(this.rows, this.cols, this.data);
  }

  shapeString(): string {
    return fmtShape(this.rows, this.cols);
  }

  /** Rows as nested arrays (for tests and small outputs). */
  toArray(): number[][] {
    const out: number[][] = [];
    for (let r = 0; r < this.rows; r++) out.push(Array.from(this.data.subarray(r * this.cols, (r + 1) * this.cols)));
    return out;
  }
}
