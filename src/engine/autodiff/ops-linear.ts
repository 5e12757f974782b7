import { ShapeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { SparseTensor } from './sparse-tensor.js';
import type { Tape } from './tape.js';

export interface MatmulOptions {
  /** Use A^T (A is stored [k x m]). */
  transA?: boolean;
  /** Use B^T (B is stored [n x k]). */
  transB?: boolean;
  /** Multiply the product by this constant (fused into the GEMM; e.g. 1 / temperature). */
  alpha?: number;
}

/** op(A) [m x k] times op(B) [k x n] -> [m x n]. */
export function matmul(t: Tape, a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const ta = options.transA ?? false;
  const tb = options.transB ?? false;
  const m = ta ? a.cols : a.rows;
  const k = ta ? a.rows : a.cols;
  const kb = tb ? b.cols : b.rows;
  const n = tb ? b.rows : b.cols;
  if (k !== kb) {
    const fa = `${a.shapeString()}${ta ? '^T' : ''}`;
    const fb = `${b.shapeString()}${tb ? '^T' : ''}`;
    throw new ShapeError(`matmul: cannot multiply ${fa} by ${fb}: inner dimensions ${k} and ${kb} differ`);
  }
  const alpha = options.alpha ?? 1;
  const tracked = t.tracks(a, b);
  const out = t.output(m, n, tracked, true);
  t.kernels.gemm(ta, tb, m, n, k, alpha, a.data, 0, a.cols, b.data, 0, b.cols, 0, out.data, 0, n);
  if (tracked) t.record(out, () => matmulBackward(t, a, b, ta, tb, out.grad as Float32Array, alpha));
  return out;
}

/** Adds the gradients of C = op(A) op(B) into A and B (those that require them), given dC. */
function matmulBackward(t: Tape, a: Tensor, b: Tensor, ta: boolean, tb: boolean, g: Float32Array, alpha = 1): void {
  const K = t.kernels;
  const m = ta ? a.cols : a.rows;
  const k = ta ? a.rows : a.cols;
  const n = tb ? b.rows : b.cols;
  if (a.requiresGrad) {
    const ga = a.gradBuffer();
    // d op(A) = dC op(B)^T; stored A^T when transA, so its gradient is op(B) dC^T
    if (!ta) K.gemm(false, !tb, m, k, n, alpha, g, 0, n, b.data, 0, b.cols, 1, ga, 0, k);
    else K.gemm(tb, true, k, m, n, alpha, b.data, 0, b.cols, g, 0, n, 1, ga, 0, m);
  }
  if (b.requiresGrad) {
    const gb = b.gradBuffer();
    // d op(B) = op(A)^T dC; stored B^T when transB, so its gradient is dC^T op(A)
    if (!tb) K.gemm(!ta, false, k, n, m, alpha, a.data, 0, a.cols, g, 0, n, 1, gb, 0, n);
    else K.gemm(true, ta, n, k, m, alpha, g, 0, n, a.data, 0, a.cols, 1, gb, 0, k);
  }
}

/**
 * A fully connected layer x W + b, x [m x k], W [k x n], b [1 x n]: one GEMM accumulating onto the bias rows and a
 * column-sum kernel for the bias gradient, so no elementwise pass over [m x n] runs in JS. With a residual r
 * [m x n] it is x W + b + r (a skip connection fused into the same output, no extra node).
 */
export function linear(t: Tape, x: Tensor, w: Tensor, b: Tensor, residual?: Tensor): Tensor {
  if (x.cols !== w.rows) {
    throw new ShapeError(`linear: cannot multiply ${x.shapeString()} by ${w.shapeString()}: inner dimensions differ`);
  }
  checkBias('linear', w, b);
  const m = x.rows;
  const n = w.cols;
  if (residual && (residual.rows !== m || residual.cols !== n)) {
    throw new ShapeError(`linear: residual ${residual.shapeString()} must be [${m}x${n}]`);
  }
  const tracked = t.tracks(x, w, b, residual);
  const out = t.output(m, n, tracked, true);
  fillRows(out.data, b.data, m);
  if (residual) for (let i = 0; i < out.size; i++) out.data[i] += residual.data[i];
  t.kernels.gemm(false, false, m, n, x.cols, 1, x.data, 0, x.cols, w.data, 0, n, 1, out.data, 0, n);
  if (tracked) {
    t.record(out, () => {
      const g = out.grad as Float32Array;
      matmulBackward(t, x, w, false, false, g);
      if (b.requiresGrad) biasBackward(t, g, m, b);
      if (residual?.requiresGrad) {
        const gr = residual.gradBuffer();
        for (let i = 0; i < gr.length; i++) gr[i] += g[i];
      }
    });
  }
  return out;
}

/** linear() for a sparse input x [m x k]: spmm onto the bias rows; gradients as spmm's plus the bias's. */
export function linearSparse(t: Tape, x: SparseTensor, w: Tensor, b: Tensor): Tensor {
  checkBias('linearSparse', w, b);
  return spmmInto(t, x, w, b);
}

function checkBias(op: string, w: Tensor, b: Tensor): void {
  if (b.rows !== 1 || b.cols !== w.cols) {
    throw new ShapeError(
      `${op}: bias ${b.shapeString()} does not match weights ${w.shapeString()} (need [1x${w.cols}])`,
    );
  }
}

function fillRows(out: Float32Array, row: Float32Array, rows: number): void {
  for (let r = 0; r < rows; r++) out.set(row, r * row.length);
}

/** b.grad += column sums of g [m x n]. */
function biasBackward(t: Tape, g: Float32Array, m: number, b: Tensor): void {
  t.kernels.addColSums(m, b.cols, g, b.gradBuffer());
}

/**
 * Sparse [m x k] times dense W [k x n] -> dense [m x n], reading the CSR rows directly (never densifying).
 * Gradients flow into W (S^T dY) and, when the sparse values are tracked, into them (dY W^T sampled at S).
 */
export function spmm(t: Tape, s: SparseTensor, w: Tensor): Tensor {
  return spmmInto(t, s, w, null);
}

/** S W (+ b when given), with gradients into W, the tracked sparse values and b. */
function spmmInto(t: Tape, s: SparseTensor, w: Tensor, bias: Tensor | null): Tensor {
  const { rows: m, cols: k, indptr, indices } = s.pattern;
  if (k !== w.rows) {
    throw new ShapeError(
      `spmm: cannot multiply sparse [${m}x${k}] by ${w.shapeString()}: inner dimensions ${k} and ${w.rows} differ`,
    );
  }
  const n = w.cols;
  const values = s.values;
  const tracked = t.tracks(w, values, bias);
  const out = t.output(m, n, tracked, true);
  const K = t.kernels;
  if (bias) fillRows(out.data, bias.data, m);
  K.spmm(m, k, n, indptr, indices, values.data, w.data, bias ? 1 : 0, out.data);
  if (tracked) {
    t.record(out, () => {
      const g = out.grad as Float32Array;
      if (w.requiresGrad) K.spmmT(m, k, n, indptr, indices, values.data, g, w.gradBuffer());
      if (values.requiresGrad) {
        const dv = new Float32Array(values.size);
        K.sddmm(m, k, n, indptr, indices, g, w.data, dv);
        const gv = values.gradBuffer();
        for (let p = 0; p < dv.length; p++) gv[p] += dv[p];
      }
      if (bias?.requiresGrad) biasBackward(t, g, m, bias);
    });
  }
  return out;
}
