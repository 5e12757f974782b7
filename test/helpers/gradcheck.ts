import assert from 'node:assert/strict';

import { Graph, Rng, Tensor, type Kernels } from '../../src/engine/index.js';

/** Builds an op's output from its inputs on a graph (must be deterministic: re-seed any Rng inside). */
export type Build = (g: Graph, inputs: Tensor[]) => Tensor;

export interface GradCheckOptions {
  /** Finite-difference step, relative to max(1, |x|). */
  eps?: number;
  /** Allowed |analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|). */
  rtol?: number;
  atol?: number;
  /** Elements checked per input at most (chosen at random). */
  maxChecks?: number;
}

/**
 * Compares the tape's gradients with central finite differences. The scalar checked is sum(out * W) for a fixed
 * random W, evaluated in float64 from the float32 outputs, so every output element's gradient path is exercised.
 */
export function gradCheck(kernels: Kernels, build: Build, inputs: Tensor[], options: GradCheckOptions = {}): void {
  const { eps = 1e-2, rtol = 2e-2, atol = 1e-3, maxChecks = 24 } = options;
  const params = inputs.map((t) => Tensor.param(t.rows, t.cols, t.data.slice()));
  const probe = build(new Graph(kernels, { grad: false }), params);
  const weights = Rng.seeded(99).fillUniform(new Float32Array(probe.size), -1, 1);
  const projected = (out: Tensor): number => {
    let s = 0;
    for (let i = 0; i < out.size; i++) s += out.data[i] * weights[i];
    return s;
  };

  const g = new Graph(kernels);
  const out = build(g, params);
  const loss = g.sum(g.mul(out, new Tensor(out.rows, out.cols, weights)));
  g.backward(loss);

  const pick = Rng.seeded(7);
  params.forEach((p, which) => {
    const analytic = p.grad ?? new Float32Array(p.size);
    const count = Math.min(maxChecks, p.size);
    const idx =
      p.size <= maxChecks
        ? Array.from({ length: p.size }, (_, i) => i)
        : Array.from(pick.sampleWithoutReplacement(p.size, count));
    for (const i of idx) {
      const x0 = p.data[i];
      const h = eps * Math.max(1, Math.abs(x0));
      p.data[i] = x0 + h;
      const up = projected(build(new Graph(kernels, { grad: false }), params));
      p.data[i] = x0 - h;
      const down = projected(build(new Graph(kernels, { grad: false }), params));
      p.data[i] = x0;
      const numeric = (up - down) / (2 * h);
      const a = analytic[i];
      const tol = atol + rtol * Math.max(Math.abs(a), Math.abs(numeric));
      assert.ok(
        Math.abs(a - numeric) <= tol,
        `input ${which} element ${i}: analytic ${a} vs numeric ${numeric} (tolerance ${tol.toExponential(2)})`,
      );
    }
  });
}

/** A tensor of uniform values in [lo, hi) from a seed. */
export function rand(rows: number, cols: number, seed: number, lo = -1, hi = 1): Tensor {
  return new Tensor(rows, cols, Rng.seeded(seed).fillUniform(new Float32Array(rows * cols), lo, hi));
}

/** Max |a - b| relative to max(1, |b|), over two arrays of equal length. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'length mismatch');
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i]));
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}
