import { ShapeError } from '../errors.js';
import type { Rng } from '../rng.js';
import type { Tensor } from '../tensor.js';
import { dropoutMask } from './ops-nn.js';
import { SparseTensor } from './sparse-tensor.js';
import type { Tape } from './tape.js';

/** Each row's stored values divided by max(||row||_2, eps): the L2-normalised input of Mult-VAE/DAE. */
export function sparseRowNormalize(t: Tape, s: SparseTensor, eps = 1e-12): SparseTensor {
  const { indptr, rows } = s.pattern;
  const x = s.values;
  const tracked = t.tracks(x);
  const y = t.output(1, x.cols, tracked);
  const denom = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let ss = 0;
    for (let p = indptr[r]; p < indptr[r + 1]; p++) ss += x.data[p] * x.data[p];
    const d = Math.max(Math.sqrt(ss), eps);
    denom[r] = d;
    for (let p = indptr[r]; p < indptr[r + 1]; p++) y.data[p] = x.data[p] / d;
  }
  if (tracked) {
    t.record(y, () => {
      const g = y.grad as Float32Array;
      const gx = x.gradBuffer();
      for (let r = 0; r < rows; r++) {
        const d = denom[r];
        let dot = 0;
        for (let p = indptr[r]; p < indptr[r + 1]; p++) dot += y.data[p] * g[p];
        if (d <= eps) dot = 0;
        for (let p = indptr[r]; p < indptr[r + 1]; p++) gx[p] += (g[p] - y.data[p] * dot) / d;
      }
    });
  }
  return new SparseTensor(s.pattern, y);
}

/** Inverted dropout on the stored values (the zeros of a sparse input stay zero, as with dense dropout). */
export function sparseDropout(t: Tape, s: SparseTensor, p: number, rng: Rng): SparseTensor {
  if (!(p >= 0 && p < 1)) throw new RangeError(`sparseDropout: p must be in [0, 1), got ${p}`);
  if (p === 0) return s;
  const x = s.values;
  const mask = dropoutMask(x.size, p, rng);
  const tracked = t.tracks(x);
  const y = t.output(1, x.cols, tracked);
  for (let i = 0; i < mask.length; i++) y.data[i] = x.data[i] * mask[i];
  if (tracked) {
    t.record(y, () => {
      const g = y.grad as Float32Array;
      const gx = x.gradBuffer();
      for (let i = 0; i < g.length; i++) gx[i] += g[i] * mask[i];
    });
  }
  return new SparseTensor(s.pattern, y);
}

/**
 * Scales every stored entry (r, c) by w[c], where w holds one weight per column ([cols x 1] or [1 x cols]): masking a
 * user history by an item-level weight such as MacridVAE's concept assignment c_k. Gradients reach both.
 */
export function sparseScaleColumns(t: Tape, s: SparseTensor, w: Tensor): SparseTensor {
  if (w.size !== s.cols || (w.rows !== 1 && w.cols !== 1)) {
    throw new ShapeError(`sparseScaleColumns: weights ${w.shapeString()} must hold one value per column (${s.cols})`);
  }
  const { indices } = s.pattern;
  const x = s.values;
  const tracked = t.tracks(x, w);
  const y = t.output(1, x.cols, tracked);
  for (let p = 0; p < indices.length; p++) y.data[p] = x.data[p] * w.data[indices[p]];
  if (tracked) {
    t.record(y, () => {
      const g = y.grad as Float32Array;
      if (x.requiresGrad) {
        const gx = x.gradBuffer();
        for (let p = 0; p < g.length; p++) gx[p] += g[p] * w.data[indices[p]];
      }
      if (w.requiresGrad) {
        const gw = w.gradBuffer();
        for (let p = 0; p < g.length; p++) gw[indices[p]] += g[p] * x.data[p];
      }
    });
  }
  return new SparseTensor(s.pattern, y);
}
