import { UntangleError } from '../errors.js';
import { ShapeError } from './errors.js';
import type { Kernels } from './kernels/types.js';
import { invertLowerInPlace, lowerGramInPlace } from './spd-inverse.js';
import { invertLowerBlock } from './triangular.js';
import { Tensor } from './tensor.js';

/** The matrix given to a Cholesky factorisation is not (numerically) symmetric positive definite. */
export class NotPositiveDefiniteError extends UntangleError {
  readonly pivot: number;
  constructor(pivot: number, value: number) {
    super('E_NOT_SPD', `cholesky: matrix is not positive definite (pivot ${pivot} is ${value})`);
    this.pivot = pivot;
  }
}

/** Panel width: matches the GEMM's KC so the trailing updates run at full speed. */
const NB = 256;

function checkSquare(op: string, a: Tensor): number {
  if (a.rows !== a.cols) throw new ShapeError(`${op}: matrix must be square, got ${a.shapeString()}`);
  return a.rows;
}

/**
 * Blocked right-looking Cholesky A = L L^T of a symmetric positive definite matrix, in place: the lower triangle of
 * `a` becomes L and the strict upper triangle is zeroed (only the lower triangle of the input is read). Panels are
 * solved with the inverse of the diagonal block and the trailing matrix is updated with GEMM, so ~all n^3/3 flops
 * run in the GEMM kernel.
 */
export function choleskyInPlace(kernels: Kernels, a: Tensor): void {
  const n = checkSquare('cholesky', a);
  const A = a.data;
  const inv = new Float32Array(NB * NB);
  const panel = new Float32Array(Math.max(0, (n - 1) * NB));
  for (let k = 0; k < n; k += NB) {
    const nb = Math.min(NB, n - k);
    factorDiagonal(A, n, k, nb);
    const below = n - k - nb;
    if (below === 0) break;
    invertLowerBlock(A, n, k * n + k, nb, inv);
    // L21 = A21 * inv(L11)^T, computed into a scratch panel then copied back
    const off = (k + nb) * n + k;
    kernels.gemm(false, true, below, nb, nb, 1, A, off, n, inv, 0, nb, 0, panel, 0, nb);
    for (let r = 0; r < below; r++) A.set(panel.subarray(r * nb, (r + 1) * nb), off + r * n);
    // A22 -= L21 L21^T, lower block columns only
    for (let j = k + nb; j < n; j += NB) {
      const w = Math.min(NB, n - j);
      kernels.gemm(false, true, n - j, w, nb, -1, A, j * n + k, n, A, j * n + k, n, 1, A, j * n + j, n);
    }
  }
  for (let i = 0; i < n; i++) A.fill(0, i * n + i + 1, (i + 1) * n);
}

/** Unblocked Cholesky of the nb x nb diagonal block at (k, k), in place, double accumulation. */
function factorDiagonal(A: Float32Array, n: number, k: number, nb: number): void {
  for (let j = 0; j < nb; j++) {
    const rj = (k + j) * n + k;
    let d = A[rj + j];
    for (let p = 0; p < j; p++) d -= A[rj + p] * A[rj + p];
    if (!(d > 0)) throw new NotPositiveDefiniteError(k + j, d);
    const ljj = Math.sqrt(d);
    A[rj + j] = ljj;
    for (let i = j + 1; i < nb; i++) {
      const ri = (k + i) * n + k;
      let s = A[ri + j];
      for (let p = 0; p < j; p++) s -= A[ri + p] * A[rj + p];
      A[ri + j] = s / ljj;
    }
  }
}

/**
 * Solves L L^T X = B in place for X, given the Cholesky factor L [n x n] and B [n x r] (row-major). Blocked forward
 * and backward substitution with GEMM updates.
 */
export function choleskySolveInPlace(kernels: Kernels, l: Tensor, b: Tensor): void {
  const n = checkSquare('choleskySolve', l);
  if (b.rows !== n)
    throw new ShapeError(`choleskySolve: factor ${l.shapeString()} and right-hand side ${b.shapeString()}`);
  const L = l.data;
  const B = b.data;
  const r = b.cols;
  const inv = new Float32Array(NB * NB);
  const tmp = new Float32Array(NB * r);
  // forward: L Y = B, block row by block row
  for (let k = 0; k < n; k += NB) {
    const nb = Math.min(NB, n - k);
    if (k > 0) kernels.gemm(false, false, nb, r, k, -1, L, k * n, n, B, 0, r, 1, B, k * r, r);
    invertLowerBlock(L, n, k * n + k, nb, inv);
    kernels.gemm(false, false, nb, r, nb, 1, inv, 0, nb, B, k * r, r, 0, tmp, 0, r);
    B.set(tmp.subarray(0, nb * r), k * r);
  }
  // backward: L^T X = Y, last block row first
  const last = Math.floor((n - 1) / NB) * NB;
  for (let k = last; k >= 0; k -= NB) {
    const nb = Math.min(NB, n - k);
    const after = n - k - nb;
    if (after > 0)
      kernels.gemm(true, false, nb, r, after, -1, L, (k + nb) * n + k, n, B, (k + nb) * r, r, 1, B, k * r, r);
    invertLowerBlock(L, n, k * n + k, nb, inv);
    kernels.gemm(true, false, nb, r, nb, 1, inv, 0, nb, B, k * r, r, 0, tmp, 0, r);
    B.set(tmp.subarray(0, nb * r), k * r);
  }
}

/** The Cholesky factor L of a symmetric positive definite matrix (a copy; `a` is untouched). */
export function cholesky(kernels: Kernels, a: Tensor): Tensor {
  const l = a.detach();
  choleskyInPlace(kernels, l);
  return l;
}

/** X with A X = B for symmetric positive definite A (copies; inputs untouched). */
export function spdSolve(kernels: Kernels, a: Tensor, b: Tensor): Tensor {
  const l = cholesky(kernels, a);
  const x = b.detach();
  choleskySolveInPlace(kernels, l, x);
  return x;
}

/**
 * The inverse of a symmetric positive definite matrix: Cholesky, then the in-place triangular inverse and W^T W
 * (n^3 flops in all, on GEMM, no second n x n buffer). `inPlace` overwrites and returns `a` to save memory on large
 * matrices.
 */
export function spdInverse(kernels: Kernels, a: Tensor, options: { inPlace?: boolean } = {}): Tensor {
  const n = checkSquare('spdInverse', a);
  const w = options.inPlace ? a : a.detach();
  choleskyInPlace(kernels, w);
  invertLowerInPlace(kernels, w.data, n);
  lowerGramInPlace(kernels, w.data, n);
  return w;
}
