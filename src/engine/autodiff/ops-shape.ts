import { ShapeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { Tape } from './tape.js';

/** Joins tensors along axis 0 (stack rows; equal column counts) or 1 (side by side; equal row counts). */
export function concat(t: Tape, parts: readonly Tensor[], axis: 0 | 1): Tensor {
  if (parts.length === 0) throw new ShapeError('concat: nothing to concatenate');
  const first = parts[0];
  for (const p of parts) {
    if (axis === 1 ? p.rows !== first.rows : p.cols !== first.cols) {
      throw new ShapeError(
        `concat(axis ${axis}): ${p.shapeString()} does not fit ${first.shapeString()} (${axis === 1 ? 'rows' : 'columns'} differ)`,
      );
    }
  }
  const rows = axis === 0 ? parts.reduce((s, p) => s + p.rows, 0) : first.rows;
  const cols = axis === 1 ? parts.reduce((s, p) => s + p.cols, 0) : first.cols;
  const tracked = t.tracks(...parts);
  const out = t.output(rows, cols, tracked);
  let offset = 0;
  for (const p of parts) {
    moveBlock(at(p.data, p.cols, axis, 0), at(out.data, cols, axis, offset), p.rows, p.cols, false);
    offset += axis === 0 ? p.rows : p.cols;
  }
  if (tracked) {
    t.record(out, () => {
      const g = out.grad as Float32Array;
      let off = 0;
      for (const p of parts) {
        if (p.requiresGrad)
          moveBlock(at(g, cols, axis, off), at(p.gradBuffer(), p.cols, axis, 0), p.rows, p.cols, true);
        off += axis === 0 ? p.rows : p.cols;
      }
    });
  }
  return out;
}

/** Rows (axis 0) or columns (axis 1) [start, end) of a tensor. */
export function slice(t: Tape, a: Tensor, axis: 0 | 1, start: number, end: number): Tensor {
  const len = axis === 0 ? a.rows : a.cols;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= len)) {
    throw new ShapeError(`slice(axis ${axis}, ${start}, ${end}): out of range for ${a.shapeString()}`);
  }
  const tracked = t.tracks(a);
  const out = t.output(axis === 0 ? end - start : a.rows, axis === 1 ? end - start : a.cols, tracked);
  moveBlock(at(a.data, a.cols, axis, start), at(out.data, out.cols, axis, 0), out.rows, out.cols, false);
  if (tracked) {
    t.record(out, () => {
      const g = out.grad as Float32Array;
      moveBlock(at(g, out.cols, axis, 0), at(a.gradBuffer(), a.cols, axis, start), out.rows, out.cols, true);
    });
  }
  return out;
}

interface Block {
  buf: Float32Array;
  cols: number;
  row: number;
  col: number;
}

/** Copies (or adds, when accumulate) a rows x cols block from src to dst, each at its own (row, col) offset. */
function moveBlock(src: Block, dst: Block, rows: number, cols: number, accumulate: boolean): void {
  for (let r = 0; r < rows; r++) {
    const so = (r + src.row) * src.cols + src.col;
    const d = (r + dst.row) * dst.cols + dst.col;
    if (accumulate) for (let c = 0; c < cols; c++) dst.buf[d + c] += src.buf[so + c];
    else dst.buf.set(src.buf.subarray(so, so + cols), d);
  }
}

/** Where a part sits inside a whole along `axis`, as block offsets. */
const at = (buf: Float32Array, cols: number, axis: 0 | 1, offset: number): Block => ({
  buf,
  cols,
  row: axis === 0 ? offset : 0,
  col: axis === 1 ? offset : 0,
});

/** Rows of a picked by index (an embedding lookup): [indices.length x a.cols]; gradients scatter-add back. */
export function gatherRows(t: Tape, a: Tensor, indices: Int32Array): Tensor {
  for (let i = 0; i < indices.length; i++) {
    if (!(indices[i] >= 0 && indices[i] < a.rows)) {
      throw new ShapeError(`gatherRows: index ${indices[i]} out of range for ${a.shapeString()}`);
    }
  }
  const n = a.cols;
  const tracked = t.tracks(a);
  const out = t.output(indices.length, n, tracked);
  for (let i = 0; i < indices.length; i++) out.data.set(a.data.subarray(indices[i] * n, (indices[i] + 1) * n), i * n);
  if (tracked) {
    t.record(out, () => {
      const g = out.grad as Float32Array;
      const ga = a.gradBuffer();
      for (let i = 0; i < indices.length; i++) {
        const src = i * n;
        const dst = indices[i] * n;
        for (let c = 0; c < n; c++) ga[dst + c] += g[src + c];
      }
    });
  }
  return out;
}

/** The transpose [cols x rows]. */
export function transpose(t: Tape, a: Tensor): Tensor {
  const { rows: m, cols: n } = a;
  const tracked = t.tracks(a);
  const out = t.output(n, m, tracked, true);
  for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) out.data[c * m + r] = a.data[r * n + c];
  if (tracked) {
    t.record(out, () => {
      const g = out.grad as Float32Array;
      const ga = a.gradBuffer();
      for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) ga[r * n + c] += g[c * m + r];
    });
  }
  return out;
}
