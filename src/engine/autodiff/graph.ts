import type { CsrMatrix } from '../csr.js';
import type { Rng } from '../rng.js';
import type { Tensor } from '../tensor.js';
import * as ew from './ops-elementwise.js';
import * as lin from './ops-linear.js';
import * as mix from './ops-mixture.js';
import * as nn from './ops-nn.js';
import * as red from './ops-reduce.js';
import * as shp from './ops-shape.js';
import * as sp from './ops-sparse.js';
import { SparseTensor } from './sparse-tensor.js';
import { Tape } from './tape.js';

/**
 * The op surface models are written against: a Tape plus every differentiable op as a method, so a forward pass
 * reads `g.tanh(g.add(g.spmm(x, W), b))`. Create one per training step (`new Graph(kernels)`) and call
 * `g.backward(loss)`; `new Graph(kernels, { grad: false })` is the no-gradient inference mode.
 */
export class Graph extends Tape {
  // ---- linear algebra
  /** op(a) [m x k] times op(b) [k x n]. */
  matmul(a: Tensor, b: Tensor, options?: lin.MatmulOptions): Tensor {
    return lin.matmul(this, a, b, options);
  }
  /** x W + b for x [m x k], W [k x n], b [1 x n] (fused: one GEMM, bias gradient by GEMM). */
  linear(x: Tensor, w: Tensor, b: Tensor, residual?: Tensor): Tensor {
    return lin.linear(this, x, w, b, residual);
  }
  /** x W + b for a sparse x, reading its CSR rows directly. */
  linearSparse(x: SparseTensor, w: Tensor, b: Tensor): Tensor {
    return lin.linearSparse(this, x, w, b);
  }
  /** Sparse [m x k] times dense [k x n], gradients into the dense operand and tracked sparse values. */
  spmm(s: SparseTensor, w: Tensor): Tensor {
    return lin.spmm(this, s, w);
  }

  // ---- elementwise (binary ops broadcast [1 x n], [m x 1] and [1 x 1] operands)
  add(a: Tensor, b: Tensor): Tensor {
    return ew.add(this, a, b);
  }
  sub(a: Tensor, b: Tensor): Tensor {
    return ew.sub(this, a, b);
  }
  mul(a: Tensor, b: Tensor): Tensor {
    return ew.mul(this, a, b);
  }
  div(a: Tensor, b: Tensor): Tensor {
    return ew.div(this, a, b);
  }
  /** s * a for a constant s. */
  scale(a: Tensor, s: number): Tensor {
    return ew.scale(this, a, s);
  }
  /** a / s for a constant s. */
  divScalar(a: Tensor, s: number): Tensor {
    return ew.scale(this, a, 1 / s);
  }
  addScalar(a: Tensor, s: number): Tensor {
    return ew.addScalar(this, a, s);
  }
  tanh(a: Tensor): Tensor {
    return ew.tanh(this, a);
  }
  sigmoid(a: Tensor): Tensor {
    return ew.sigmoid(this, a);
  }
  relu(a: Tensor): Tensor {
    return ew.relu(this, a);
  }
  exp(a: Tensor): Tensor {
    return ew.exp(this, a);
  }
  log(a: Tensor): Tensor {
    return ew.log(this, a);
  }
  softplus(a: Tensor): Tensor {
    return ew.softplus(this, a);
  }
  square(a: Tensor): Tensor {
    return ew.square(this, a);
  }

  // ---- reductions
  sum(a: Tensor, axis?: red.Axis): Tensor {
    return red.sum(this, a, axis);
  }
  mean(a: Tensor, axis?: red.Axis): Tensor {
    return red.mean(this, a, axis);
  }

  // ---- neural-network ops
  rowL2Normalize(a: Tensor, eps?: number): Tensor {
    return nn.rowL2Normalize(this, a, eps);
  }
  softmax(a: Tensor): Tensor {
    return nn.softmax(this, a);
  }
  logSoftmax(a: Tensor): Tensor {
    return nn.logSoftmax(this, a);
  }
  /** Per-row multinomial NLL of sparse targets under softmax(logits): [rows x 1]. */
  multinomialNll(logits: Tensor, targets: CsrMatrix): Tensor {
    return nn.multinomialNll(this, logits, targets);
  }
  dropout(a: Tensor, p: number, rng: Rng): Tensor {
    return nn.dropout(this, a, p, rng);
  }
  reparameterize(mu: Tensor, logvar: Tensor, rng: Rng): Tensor {
    return nn.reparameterize(this, mu, logvar, rng);
  }
  gumbelSoftmax(logits: Tensor, tau: number, rng: Rng): Tensor {
    return nn.gumbelSoftmax(this, logits, tau, rng);
  }
  /** Per-row KL to N(0, exp(priorLogVar)): [rows x 1]. */
  klDiagGaussian(mu: Tensor, logvar: Tensor, priorLogVar?: number): Tensor {
    return nn.klDiagGaussian(this, mu, logvar, priorLogVar);
  }
  cosineSimilarity(a: Tensor, b: Tensor): Tensor {
    return nn.cosineSimilarity(this, a, b);
  }

  /** log(sum_k w_k exp(l_k)) elementwise, stably (MacridVAE's concept mixture). */
  logSumExpWeighted(logits: readonly Tensor[], weights: readonly Tensor[]): Tensor {
    return mix.logSumExpWeighted(this, logits, weights);
  }
  /** Per-row layer normalisation with scale gamma and shift beta ([1 x n]). */
  layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps?: number): Tensor {
    return mix.layerNorm(this, x, gamma, beta, eps);
  }
  /** x * sigmoid(x) (swish / SiLU). */
  swish(x: Tensor): Tensor {
    return ew.swish(this, x);
  }

  // ---- shape
  concat(parts: readonly Tensor[], axis: 0 | 1): Tensor {
    return shp.concat(this, parts, axis);
  }
  slice(a: Tensor, axis: 0 | 1, start: number, end: number): Tensor {
    return shp.slice(this, a, axis, start, end);
  }
  transpose(a: Tensor): Tensor {
    return shp.transpose(this, a);
  }
  gatherRows(a: Tensor, indices: Int32Array): Tensor {
    return shp.gatherRows(this, a, indices);
  }

  // ---- sparse inputs
  /** A constant sparse tensor over a CSR matrix (e.g. a batch of user histories). */
  sparse(csr: CsrMatrix): SparseTensor {
    return SparseTensor.constant(csr);
  }
  sparseRowNormalize(s: SparseTensor, eps?: number): SparseTensor {
    return sp.sparseRowNormalize(this, s, eps);
  }
  sparseDropout(s: SparseTensor, p: number, rng: Rng): SparseTensor {
    return sp.sparseDropout(this, s, p, rng);
  }
  sparseScaleColumns(s: SparseTensor, w: Tensor): SparseTensor {
    return sp.sparseScaleColumns(this, s, w);
  }
}
