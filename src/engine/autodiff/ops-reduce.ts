import { ShapeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { Tape } from './tape.js';

/** Reduction axis: 0 sums over rows (-> [1 x cols]), 1 over columns (-> [rows x 1]), 'all' over everything. */
export type Axis = 0 | 1 | 'all';

function reduce(t: Tape, a: Tensor, axis: Axis, mean: boolean): Tensor {
  if (axis !== 0 && axis !== 1 && axis !== 'all') throw new ShapeError(`sum: invalid axis ${String(axis)}`);
  const rows = axis === 1 ? a.rows : 1;
  const cols = axis === 0 ? a.cols : 1;
  const count = axis === 0 ? a.rows : axis === 1 ? a.cols : a.size;
  const f = mean ? 1 / Math.max(count, 1) : 1;
  const tracked = t.tracks(a);
  const out = t.output(rows, cols, tracked);
  const x = a.data;
  const o = out.data;
  if (axis === 'all') {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i];
    o[0] = s * f;
  } else if (axis === 1) {
    for (let r = 0; r < a.rows; r++) {
      let s = 0;
      const off = r * a.cols;
      for (let c = 0; c < a.cols; c++) s += x[off + c];
      o[r] = s * f;
    }
  } else {
    const acc = new Float64Array(a.cols);
    for (let r = 0; r < a.rows; r++) {
      const off = r * a.cols;
      for (let c = 0; c < a.cols; c++) acc[c] += x[off + c];
    }
    for (let c = 0; c < a.cols; c++) o[c] = acc[c] * f;
  }
  if (tracked) {
    t.record(out, () => {
      const g = out.grad as Float32Array;
      const ga = a.gradBuffer();
      for (let r = 0; r < a.rows; r++) {
        const off = r * a.cols;
        for (let c = 0; c < a.cols; c++) {
          ga[off + c] += f * g[axis === 'all' ? 0 : axis === 1 ? r : c];
        }
      }
    });
  }
  return out;
}

/** Sum over an axis (see Axis). */
export const sum = (t: Tape, a: Tensor, axis: Axis = 'all'): Tensor => reduce(t, a, axis, false);
/** Mean over an axis (see Axis). */
export const mean = (t: Tape, a: Tensor, axis: Axis = 'all'): Tensor => reduce(t, a, axis, true);
