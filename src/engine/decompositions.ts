import { choleskyInPlace, NotPositiveDefiniteError } from './linalg.js';
import type { Kernels } from './kernels/types.js';
import { Tensor } from './tensor.js';
import { invertLowerBlock } from './triangular.js';

/**
 * Orthonormalises the columns of Y [m x l] in place by CholeskyQR2: R^T R = Y^T Y, Y <- Y R^-1, done twice (the
 * second pass repairs the orthogonality the first loses in float32). Nearly dependent columns get a tiny ridge.
 * All O(m l^2) work runs in GEMMs.
 */
export function orthonormalizeColumns(kernels: Kernels, y: Tensor): void {
  const { rows: m, cols: l } = y;
  const tmp = new Float32Array(m * l);
  for (let pass = 0; pass < 2; pass++) {
    const g = new Tensor(l, l);
    kernels.gemm(true, false, l, l, m, 1, y.data, 0, l, y.data, 0, l, 0, g.data, 0, l);
    let trace = 0;
    for (let i = 0; i < l; i++) trace += g.data[i * l + i];
    for (let ridge = 0; ; ridge = ridge === 0 ? 1e-7 * (trace / l || 1) : ridge * 10) {
      const attempt = g.detach();
      for (let i = 0; i < l; i++) attempt.data[i * l + i] += ridge;
      try {
        choleskyInPlace(kernels, attempt);
      } catch (err) {
        if (err instanceof NotPositiveDefiniteError && ridge < trace) continue;
        throw err;
      }
      const inv = new Float32Array(l * l);
      invertLowerBlock(attempt.data, l, 0, l, inv);
      // Y <- Y L^-T  (R = L^T)
      kernels.gemm(false, true, m, l, l, 1, y.data, 0, l, inv, 0, l, 0, tmp, 0, l);
      y.data.set(tmp);
      break;
    }
  }
}

/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (float64): values descending, vectors as
 * the columns of a row-major [n x n] array. Meant for n up to a few hundred (randomised SVD's core).
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = A[i * n + j] ** 2;
        total += v;
        if (i !== j) off += v;
      }
    }
    if (off <= 1e-24 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p];
          const akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k];
          const aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p];
          const vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => A[y * n + y] - A[x * n + x]);
  const values = Float64Array.from(order, (i) => A[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vectors[k * n + dst] = V[k * n + src];
  });
  return { values, vectors };
}
