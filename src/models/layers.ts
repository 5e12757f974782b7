import type { Graph } from '../engine/autodiff/graph.js';
import type { SparseTensor } from '../engine/autodiff/sparse-tensor.js';
import type { Rng } from '../engine/rng.js';
import { Tensor } from '../engine/tensor.js';

/** A fully connected layer y = x W + b with W [in x out] and b [1 x out]. */
export interface Dense {
  readonly w: Tensor;
  readonly b: Tensor;
}

/**
 * A dense layer initialised as in Liang et al.'s vae_cf code: Xavier/Glorot-uniform weights, biases ~ N(0, 0.001^2).
 */
export function denseLayer(inputs: number, outputs: number, rng: Rng): Dense {
  const a = Math.sqrt(6 / (inputs + outputs));
  const w = Tensor.param(inputs, outputs, rng.derive('w').fillUniform(new Float32Array(inputs * outputs), -a, a));
  const b = Tensor.param(1, outputs, rng.derive('b').fillNormal(new Float32Array(outputs), 0, 0.001));
  return { w, b };
}

/** x W + b for a dense batch x [batch x in]. */
export function applyDense(g: Graph, layer: Dense, x: Tensor): Tensor {
  return g.linear(x, layer.w, layer.b);
}

/** x W + b for a sparse batch x [batch x in], reading the CSR rows directly. */
export function applyDenseSparse(g: Graph, layer: Dense, x: SparseTensor): Tensor {
  return g.linearSparse(x, layer.w, layer.b);
}
