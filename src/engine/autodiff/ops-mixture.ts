import { ShapeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { Tape } from './tape.js';

/**
 * out = log(sum_k w_k * exp(l_k)) elementwise, computed stably (max subtraction) with the vectorised exp/log kernels,
 * for logits l_k [m x n] and
 * non-negative weights w_k broadcast as [1 x n] (per column) or [m x n]. MacridVAE's decoder mixes its K concept
 * logits this way: log sum_k c_ik exp(cos(z_k, h_i) / tau). Gradients: d/dl_k = w_k exp(l_k - out),
 * d/dw_k = exp(l_k - out).
 */
export function logSumExpWeighted(t: Tape, logits: readonly Tensor[], weights: readonly Tensor[]): Tensor {
  if (logits.length === 0 || logits.length !== weights.length) {
    throw new ShapeError(`logSumExpWeighted: ${logits.length} logits and ${weights.length} weights`);
  }
  const { rows: m, cols: n } = logits[0];
  for (const l of logits) {
    if (l.rows !== m || l.cols !== n)
      throw new ShapeError(`logSumExpWeighted: logits ${l.shapeString()} vs [${m}x${n}]`);
  }
  for (const w of weights) {
    if (w.cols !== n || (w.rows !== 1 && w.rows !== m)) {
      throw new ShapeError(`logSumExpWeighted: weights ${w.shapeString()} do not broadcast to [${m}x${n}]`);
    }
  }
  const K = logits.length;
  const size = m * n;
  const tracked = t.tracks(...logits, ...weights);
  const out = t.output(m, n, tracked, true);
  const kern = t.kernels;
  const ls = logits.map((l) => l.data);
  const ws = weights.map((w) => w.data);
  kern.lseWeighted(K, m, n, ls, ws, out.data);
  if (tracked) {
    t.record(out, () => {
      const g = out.grad as Float32Array;
      // a fresh gradient buffer starts at zero; the kernel accumulates into it
      const gl = logits.map((l) => (l.requiresGrad ? l.gradBuffer() : null));
      const r = weights.map((w) => (w.requiresGrad ? t.buffer(size, false) : null));
      kern.lseWeightedBackward(K, m, n, ls, ws, out.data, g, gl, r);
      weights.forEach((w, k) => {
        const rk = r[k];
        if (!rk) return;
        if (w.rows === 1) kern.addColSums(m, n, rk, w.gradBuffer());
        else {
          const gw = w.gradBuffer();
          for (let i = 0; i < size; i++) gw[i] += rk[i];
        }
      });
    });
  }
  return out;
}

/**
 * Layer normalisation per row: (x - mean) / sqrt(var + eps) * gamma + beta, gamma and beta [1 x n] (Ba et al. 2016;
 * RecVAE's encoder uses it).
 */
export function layerNorm(t: Tape, x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5): Tensor {
  const { rows: m, cols: n } = x;
  if (gamma.rows !== 1 || gamma.cols !== n || beta.rows !== 1 || beta.cols !== n) {
    throw new ShapeError(
      `layerNorm: gamma ${gamma.shapeString()} / beta ${beta.shapeString()} must be [1x${n}] for ${x.shapeString()}`,
    );
  }
  const tracked = t.tracks(x, gamma, beta);
  const out = t.output(m, n, tracked, true);
  const xhat = new Float32Array(m * n);
  const inv = new Float32Array(m);
  t.kernels.layerNorm(m, n, x.data, gamma.data, beta.data, eps, out.data, xhat, inv);
  if (tracked) {
    t.record(out, () => {
      const gx = x.requiresGrad ? x.gradBuffer() : null;
      const gg = gamma.requiresGrad ? gamma.gradBuffer() : null;
      const gb = beta.requiresGrad ? beta.gradBuffer() : null;
      t.kernels.layerNormBackward(m, n, out.grad as Float32Array, xhat, inv, gamma.data, gx, gg, gb);
    });
  }
  return out;
}
