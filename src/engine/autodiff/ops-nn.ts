import type { CsrMatrix } from '../csr.js';
import { ShapeError } from '../errors.js';
import type { Rng } from '../rng.js';
import type { Tensor } from '../tensor.js';
import { matmul } from './ops-linear.js';
import type { Tape } from './tape.js';

/** Each row divided by max(||row||_2, eps) (as torch.nn.functional.normalize). */
export function rowL2Normalize(t: Tape, a: Tensor, eps = 1e-12): Tensor {
  const tracked = t.tracks(a);
  const out = t.output(a.rows, a.cols, tracked);
  const denom = new Float64Array(a.rows);
  const x = a.data;
  const y = out.data;
  const n = a.cols;
  for (let r = 0; r < a.rows; r++) {
    let s = 0;
    for (let c = 0; c < n; c++) s += x[r * n + c] * x[r * n + c];
    const d = Math.max(Math.sqrt(s), eps);
    denom[r] = d;
    for (let c = 0; c < n; c++) y[r * n + c] = x[r * n + c] / d;
  }
  if (tracked) {
    t.record(out, () => {
      const g = out.grad as Float32Array;
      const ga = a.gradBuffer();
      for (let r = 0; r < a.rows; r++) {
        const d = denom[r];
        const o = r * n;
        if (d <= eps) {
          for (let c = 0; c < n; c++) ga[o + c] += g[o + c] / eps;
          continue;
        }
        let dot = 0;
        for (let c = 0; c < n; c++) dot += y[o + c] * g[o + c];
        for (let c = 0; c < n; c++) ga[o + c] += (g[o + c] - y[o + c] * dot) / d;
      }
    });
  }
  return out;
}

/** Row-wise softmax. */
export function softmax(t: Tape, a: Tensor): Tensor {
  const tracked = t.tracks(a);
  const out = t.output(a.rows, a.cols, tracked);
  softmaxRows(a.data, out.data, a.rows, a.cols, 1);
  if (tracked) t.record(out, () => softmaxBackward(out, a, 1));
  return out;
}

/** Row-wise log-softmax: x - logsumexp(row). */
export function logSoftmax(t: Tape, a: Tensor): Tensor {
  const tracked = t.tracks(a);
  const out = t.output(a.rows, a.cols, tracked);
  const n = a.cols;
  for (let r = 0; r < a.rows; r++) {
    const o = r * n;
    let mx = -Infinity;
    for (let c = 0; c < n; c++) mx = Math.max(mx, a.data[o + c]);
    let s = 0;
    for (let c = 0; c < n; c++) s += Math.exp(a.data[o + c] - mx);
    const lse = mx + Math.log(s);
    for (let c = 0; c < n; c++) out.data[o + c] = a.data[o + c] - lse;
  }
  if (tracked) {
    t.record(out, () => {
      const g = out.grad as Float32Array;
      const ga = a.gradBuffer();
      for (let r = 0; r < a.rows; r++) {
        const o = r * n;
        let gs = 0;
        for (let c = 0; c < n; c++) gs += g[o + c];
        for (let c = 0; c < n; c++) ga[o + c] += g[o + c] - Math.exp(out.data[o + c]) * gs;
      }
    });
  }
  return out;
}

/**
 * Multinomial negative log-likelihood fused with log-softmax: for each row r, -sum_i x[r, i] * log softmax(logits)[r, i]
 * with x the (sparse, possibly weighted) targets. Returns [rows x 1]. This is Mult-VAE's reconstruction loss.
 */
export function multinomialNll(t: Tape, logits: Tensor, targets: CsrMatrix): Tensor {
  if (targets.rows !== logits.rows || targets.cols !== logits.cols) {
    throw new ShapeError(
      `multinomialNll: logits ${logits.shapeString()} and targets [${targets.rows}x${targets.cols}] differ`,
    );
  }
  const { rows: m, cols: n } = logits;
  const tracked = t.tracks(logits);
  const out = t.output(m, 1, tracked);
  const probs = t.buffer(m * n, false);
  const K = t.kernels;
  K.softmaxNll(m, n, logits.data, targets.indptr, targets.indices, targets.values, probs, out.data);
  if (tracked) {
    t.record(out, () => {
      const g = out.grad as Float32Array;
      if (logits.grad === null && !logits.leaf) {
        // probs is not needed after this: turn it into the (transient) gradient in place and hand it over
        K.softmaxNllBackward(m, n, probs, targets.indptr, targets.indices, targets.values, g, probs);
        logits.grad = probs;
      } else {
        const tmp = new Float32Array(m * n);
        K.softmaxNllBackward(m, n, probs, targets.indptr, targets.indices, targets.values, g, tmp);
        const gl = logits.gradBuffer();
        for (let i = 0; i < tmp.length; i++) gl[i] += tmp[i];
      }
    });
  }
  return out;
}

/** Inverted dropout: zero each value with probability p and scale the rest by 1 / (1 - p). */
export function dropout(t: Tape, a: Tensor, p: number, rng: Rng): Tensor {
  if (!(p >= 0 && p < 1)) throw new RangeError(`dropout: p must be in [0, 1), got ${p}`);
  if (p === 0) return a;
  const mask = dropoutMask(a.size, p, rng);
  const tracked = t.tracks(a);
  const out = t.output(a.rows, a.cols, tracked);
  for (let i = 0; i < mask.length; i++) out.data[i] = a.data[i] * mask[i];
  if (tracked) {
    t.record(out, () => {
      const g = out.grad as Float32Array;
      const ga = a.gradBuffer();
      for (let i = 0; i < g.length; i++) ga[i] += g[i] * mask[i];
    });
  }
  return out;
}

/** A mask of 0 and 1 / (1 - p) values, each 0 with probability p. */
export function dropoutMask(size: number, p: number, rng: Rng): Float32Array {
  const keep = 1 - p;
  const mask = new Float32Array(size);
  for (let i = 0; i < size; i++) mask[i] = rng.uniform() < keep ? 1 / keep : 0;
  return mask;
}

/** Gaussian reparameterisation z = mu + eps * exp(logvar / 2), eps ~ N(0, I) drawn from rng. */
export function reparameterize(t: Tape, mu: Tensor, logvar: Tensor, rng: Rng): Tensor {
  sameShape('reparameterize', mu, logvar);
  const eps = rng.fillNormal(new Float32Array(mu.size));
  const std = new Float32Array(mu.size);
  for (let i = 0; i < std.length; i++) std[i] = 0.5 * logvar.data[i];
  t.kernels.exp(std, std);
  const tracked = t.tracks(mu, logvar);
  const out = t.output(mu.rows, mu.cols, tracked);
  for (let i = 0; i < std.length; i++) out.data[i] = mu.data[i] + eps[i] * std[i];
  if (tracked) {
    t.record(out, () => {
      const g = out.grad as Float32Array;
      if (mu.requiresGrad) {
        const gm = mu.gradBuffer();
        for (let i = 0; i < g.length; i++) gm[i] += g[i];
      }
      if (logvar.requiresGrad) {
        const gl = logvar.gradBuffer();
        for (let i = 0; i < g.length; i++) gl[i] += g[i] * eps[i] * 0.5 * std[i];
      }
    });
  }
  return out;
}

/** A relaxed one-hot sample per row: softmax((logits + Gumbel noise) / tau) (Jang et al. 2017). */
export function gumbelSoftmax(t: Tape, logits: Tensor, tau: number, rng: Rng): Tensor {
  if (!(tau > 0)) throw new RangeError(`gumbelSoftmax: tau must be > 0, got ${tau}`);
  const noisy = rng.fillGumbel(new Float32Array(logits.size));
  for (let i = 0; i < noisy.length; i++) noisy[i] += logits.data[i];
  const tracked = t.tracks(logits);
  const out = t.output(logits.rows, logits.cols, tracked);
  softmaxRows(noisy, out.data, logits.rows, logits.cols, 1 / tau);
  if (tracked) t.record(out, () => softmaxBackward(out, logits, 1 / tau));
  return out;
}

/**
 * KL(N(mu, exp(logvar)) || N(0, exp(priorLogVar))) per row, summed over columns: [rows x 1]. priorLogVar = 0 is the
 * standard normal prior; MacridVAE uses N(0, sigma0^2), i.e. priorLogVar = 2 log sigma0.
 */
export function klDiagGaussian(t: Tape, mu: Tensor, logvar: Tensor, priorLogVar = 0): Tensor {
  sameShape('klDiagGaussian', mu, logvar);
  const tracked = t.tracks(mu, logvar);
  const out = t.output(mu.rows, 1, tracked);
  const invPrior = Math.exp(-priorLogVar);
  const n = mu.cols;
  const variance = new Float32Array(logvar.size);
  t.kernels.exp(logvar.data, variance);
  for (let r = 0; r < mu.rows; r++) {
    let s = 0;
    for (let c = 0; c < n; c++) {
      const i = r * n + c;
      s += priorLogVar - logvar.data[i] + (variance[i] + mu.data[i] * mu.data[i]) * invPrior - 1;
    }
    out.data[r] = 0.5 * s;
  }
  if (tracked) {
    t.record(out, () => {
      const g = out.grad as Float32Array;
      const gm = mu.requiresGrad ? mu.gradBuffer() : null;
      const gl = logvar.requiresGrad ? logvar.gradBuffer() : null;
      for (let r = 0; r < mu.rows; r++) {
        for (let c = 0; c < n; c++) {
          const i = r * n + c;
          if (gm) gm[i] += g[r] * mu.data[i] * invPrior;
          if (gl) gl[i] += g[r] * 0.5 * (variance[i] * invPrior - 1);
        }
      }
    });
  }
  return out;
}

/** Cosine similarity between every row of a [n x d] and every row of b [m x d]: [n x m]. */
export function cosineSimilarity(t: Tape, a: Tensor, b: Tensor): Tensor {
  if (a.cols !== b.cols) {
    throw new ShapeError(`cosineSimilarity: row lengths differ: ${a.shapeString()} and ${b.shapeString()}`);
  }
  return matmul(t, rowL2Normalize(t, a), rowL2Normalize(t, b), { transB: true });
}

function sameShape(op: string, a: Tensor, b: Tensor): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError(`${op}: shapes ${a.shapeString()} and ${b.shapeString()} must be equal`);
  }
}

/** y[r, :] = softmax(scale * x[r, :]). */
function softmaxRows(x: Float32Array, y: Float32Array, rows: number, cols: number, scale: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let mx = -Infinity;
    for (let c = 0; c < cols; c++) mx = Math.max(mx, scale * x[o + c]);
    let s = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(scale * x[o + c] - mx);
      y[o + c] = e;
      s += e;
    }
    for (let c = 0; c < cols; c++) y[o + c] /= s;
  }
}

/** Adds d/dx of y = softmax(scale * x) into input.grad, from out.grad. */
function softmaxBackward(out: Tensor, input: Tensor, scale: number): void {
  const g = out.grad as Float32Array;
  const gi = input.gradBuffer();
  const y = out.data;
  const n = out.cols;
  for (let r = 0; r < out.rows; r++) {
    const o = r * n;
    let dot = 0;
    for (let c = 0; c < n; c++) dot += g[o + c] * y[o + c];
    for (let c = 0; c < n; c++) gi[o + c] += scale * y[o + c] * (g[o + c] - dot);
  }
}
