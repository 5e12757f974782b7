import { ShapeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { Tape } from './tape.js';

/**
 * Elementwise ops. Binary ops broadcast 2-D shapes: along each axis the sizes must match or one of them must be 1
 * (so [m x n] + [1 x n] adds a bias row, [m x n] * [m x 1] scales rows, and [1 x 1] is a scalar). Gradients of a
 * broadcast operand are summed over the broadcast axis.
 */
type BinaryKind = 'add' | 'sub' | 'mul' | 'div';

function broadcastDims(op: string, a: Tensor, b: Tensor): [number, number] {
  const dim = (x: number, y: number): number => (x === y || y === 1 ? x : x === 1 ? y : -1);
  const rows = dim(a.rows, b.rows);
  const cols = dim(a.cols, b.cols);
  if (rows < 0 || cols < 0) {
    throw new ShapeError(`${op}: shapes ${a.shapeString()} and ${b.shapeString()} do not broadcast`);
  }
  return [rows, cols];
}

function binary(t: Tape, kind: BinaryKind, a: Tensor, b: Tensor): Tensor {
  const [rows, cols] = broadcastDims(kind, a, b);
  const tracked = t.tracks(a, b);
  const out = t.output(rows, cols, tracked, true);
  const x = a.data;
  const y = b.data;
  const o = out.data;
  if (a.rows === b.rows && a.cols === b.cols) {
    // the common same-shape case gets tight loops
    if (kind === 'add') for (let i = 0; i < o.length; i++) o[i] = x[i] + y[i];
    else if (kind === 'sub') for (let i = 0; i < o.length; i++) o[i] = x[i] - y[i];
    else if (kind === 'mul') for (let i = 0; i < o.length; i++) o[i] = x[i] * y[i];
    else for (let i = 0; i < o.length; i++) o[i] = x[i] / y[i];
  } else if (kind === 'add' && b.rows === 1 && a.rows === rows && a.cols === cols) {
    for (let r = 0; r < rows; r++) {
      const off = r * cols;
      for (let c = 0; c < cols; c++) o[off + c] = x[off + c] + y[b.cols === 1 ? 0 : c];
    }
  } else {
    forEachBroadcast(a, b, rows, cols, (i, ia, ib) => {
      const u = x[ia];
      const v = y[ib];
      o[i] = kind === 'add' ? u + v : kind === 'sub' ? u - v : kind === 'mul' ? u * v : u / v;
    });
  }
  if (tracked) {
    t.record(out, () => {
      const g = out.grad as Float32Array;
      if (kind === 'add' || kind === 'sub') {
        // the hot case (bias adds): plain reductions, no per-element callback
        if (a.requiresGrad) reduceInto(a, g, rows, cols, 1);
        if (b.requiresGrad) reduceInto(b, g, rows, cols, kind === 'add' ? 1 : -1);
        return;
      }
      const ga = a.requiresGrad ? a.gradBuffer() : null;
      const gb = b.requiresGrad ? b.gradBuffer() : null;
      if (a.rows === b.rows && a.cols === b.cols) {
        // same shape: plain loops (the broadcast path below calls a closure per element)
        if (kind === 'mul') {
          if (ga) for (let i = 0; i < g.length; i++) ga[i] += g[i] * y[i];
          if (gb) for (let i = 0; i < g.length; i++) gb[i] += g[i] * x[i];
        } else {
          if (ga) for (let i = 0; i < g.length; i++) ga[i] += g[i] / y[i];
          if (gb) for (let i = 0; i < g.length; i++) gb[i] -= (g[i] * x[i]) / (y[i] * y[i]);
        }
        return;
      }
      forEachBroadcast(a, b, rows, cols, (i, ia, ib) => {
        const gi = g[i];
        if (kind === 'mul') {
          if (ga) ga[ia] += gi * y[ib];
          if (gb) gb[ib] += gi * x[ia];
        } else {
          const inv = 1 / y[ib];
          if (ga) ga[ia] += gi * inv;
          if (gb) gb[ib] -= gi * x[ia] * inv * inv;
        }
      });
    });
  }
  return out;
}

/** target.grad += sign * g, where g is [rows x cols] and target broadcasts to it (summing over broadcast axes). */
function reduceInto(target: Tensor, g: Float32Array, rows: number, cols: number, sign: number): void {
  const gt = target.gradBuffer();
  if (target.rows === rows && target.cols === cols) {
    for (let i = 0; i < g.length; i++) gt[i] += sign * g[i];
  } else if (target.rows === 1 && target.cols === cols) {
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let c = 0; c < cols; c++) gt[c] += sign * g[o + c];
    }
  } else if (target.cols === 1 && target.rows === rows) {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += g[r * cols + c];
      gt[r] += sign * s;
    }
  } else {
    let s = 0;
    for (let i = 0; i < g.length; i++) s += g[i];
    gt[0] += sign * s;
  }
}

/** Calls fn(outIndex, aIndex, bIndex) for every output element of a broadcast of a and b to [rows x cols]. */
function forEachBroadcast(
  a: Tensor,
  b: Tensor,
  rows: number,
  cols: number,
  fn: (i: number, ia: number, ib: number) => void,
): void {
  const aRowStep = a.rows === 1 ? 0 : a.cols;
  const bRowStep = b.rows === 1 ? 0 : b.cols;
  const aColStep = a.cols === 1 ? 0 : 1;
  const bColStep = b.cols === 1 ? 0 : 1;
  let i = 0;
  for (let r = 0; r < rows; r++) {
    let ia = r * aRowStep;
    let ib = r * bRowStep;
    for (let c = 0; c < cols; c++, i++, ia += aColStep, ib += bColStep) fn(i, ia, ib);
  }
}

/** a + b (broadcasting). */
export const add = (t: Tape, a: Tensor, b: Tensor): Tensor => binary(t, 'add', a, b);
/** a - b (broadcasting). */
export const sub = (t: Tape, a: Tensor, b: Tensor): Tensor => binary(t, 'sub', a, b);
/** a * b elementwise (broadcasting). */
export const mul = (t: Tape, a: Tensor, b: Tensor): Tensor => binary(t, 'mul', a, b);
/** a / b elementwise (broadcasting). */
export const div = (t: Tape, a: Tensor, b: Tensor): Tensor => binary(t, 'div', a, b);

/**
 * A unary op from its forward map and its backward loop ga += g * f'(x) written per op (a shared per-element
 * callback would be megamorphic and ~5x slower in V8).
 */
function unary(
  t: Tape,
  a: Tensor,
  forward: (x: Float32Array, y: Float32Array) => void,
  backward: (g: Float32Array, x: Float32Array, y: Float32Array, ga: Float32Array) => void,
): Tensor {
  const tracked = t.tracks(a);
  const out = t.output(a.rows, a.cols, tracked, true);
  forward(a.data, out.data);
  if (tracked) t.record(out, () => backward(out.grad as Float32Array, a.data, out.data, a.gradBuffer()));
  return out;
}

const mapInto = (f: (v: number) => number) => (x: Float32Array, y: Float32Array) => {
  for (let i = 0; i < x.length; i++) y[i] = f(x[i]);
};

/** tanh(a). */
export const tanh = (t: Tape, a: Tensor): Tensor =>
  unary(
    t,
    a,
    (x, y) => t.kernels.tanh(x, y),
    (g, _x, y, ga) => {
      for (let i = 0; i < g.length; i++) ga[i] += g[i] * (1 - y[i] * y[i]);
    },
  );
/** 1 / (1 + exp(-a)). */
export const sigmoid = (t: Tape, a: Tensor): Tensor =>
  unary(
    t,
    a,
    (x, y) => t.kernels.sigmoid(x, y),
    (g, _x, y, ga) => {
      for (let i = 0; i < g.length; i++) ga[i] += g[i] * y[i] * (1 - y[i]);
    },
  );
/** max(a, 0); the derivative at 0 is taken as 0. */
export const relu = (t: Tape, a: Tensor): Tensor =>
  unary(
    t,
    a,
    mapInto((v) => (v > 0 ? v : 0)),
    (g, x, _y, ga) => {
      for (let i = 0; i < g.length; i++) if (x[i] > 0) ga[i] += g[i];
    },
  );
/** exp(a). */
export const exp = (t: Tape, a: Tensor): Tensor =>
  unary(
    t,
    a,
    (x, y) => t.kernels.exp(x, y),
    (g, _x, y, ga) => {
      for (let i = 0; i < g.length; i++) ga[i] += g[i] * y[i];
    },
  );
/** Natural log of a. */
export const log = (t: Tape, a: Tensor): Tensor =>
  unary(
    t,
    a,
    (x, y) => t.kernels.log(x, y),
    (g, x, _y, ga) => {
      for (let i = 0; i < g.length; i++) ga[i] += g[i] / x[i];
    },
  );
/** log(1 + exp(a)), computed stably. */
export const softplus = (t: Tape, a: Tensor): Tensor =>
  unary(
    t,
    a,
    mapInto((v) => (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)))),
    (g, x, _y, ga) => {
      for (let i = 0; i < g.length; i++) {
        const v = x[i];
        ga[i] += g[i] * (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
      }
    },
  );
/** a^2. */
export const square = (t: Tape, a: Tensor): Tensor =>
  unary(
    t,
    a,
    mapInto((v) => v * v),
    (g, x, _y, ga) => {
      for (let i = 0; i < g.length; i++) ga[i] += 2 * g[i] * x[i];
    },
  );
/** s * a for a constant s (use scale(a, 1 / s) to divide by a scalar). */
export const scale = (t: Tape, a: Tensor, s: number): Tensor =>
  unary(
    t,
    a,
    (x, y) => {
      for (let i = 0; i < x.length; i++) y[i] = s * x[i];
    },
    (g, _x, _y, ga) => {
      for (let i = 0; i < g.length; i++) ga[i] += s * g[i];
    },
  );
/** a + s for a constant s. */
export const addScalar = (t: Tape, a: Tensor, s: number): Tensor =>
  unary(
    t,
    a,
    (x, y) => {
      for (let i = 0; i < x.length; i++) y[i] = x[i] + s;
    },
    (g, _x, _y, ga) => {
      for (let i = 0; i < g.length; i++) ga[i] += g[i];
    },
  );

/** x * sigmoid(x) (swish / SiLU), fused: one pass forward, one backward. */
export const swish = (t: Tape, a: Tensor): Tensor => {
  const sig = new Float32Array(a.size);
  return unary(
    t,
    a,
    (x, y) => {
      t.kernels.sigmoid(x, sig);
      for (let i = 0; i < x.length; i++) y[i] = x[i] * sig[i];
    },
    (g, x, _y, ga) => {
      for (let i = 0; i < g.length; i++) ga[i] += g[i] * (sig[i] + x[i] * sig[i] * (1 - sig[i]));
    },
  );
};
