// Every differentiable op's gradient against central finite differences, under every kernel provider.
import { describe, test } from 'node:test';

import { CsrMatrix, Rng, SparseTensor, Tensor, type Graph } from '../../src/engine/index.js';
import { type Build, type GradCheckOptions, gradCheck, rand } from '../helpers/gradcheck.js';
import { providers } from '../helpers/providers.js';

/** Pushes values away from zero (kinks and poles): |x| >= 0.2. */
function awayFromZero(t: Tensor): Tensor {
  for (let i = 0; i < t.size; i++) t.data[i] = Math.sign(t.data[i] || 1) * (0.2 + Math.abs(t.data[i]));
  return t;
}

const pattern = CsrMatrix.fromTriplets(4, 6, [0, 0, 1, 2, 2, 2, 3], [1, 4, 0, 2, 3, 5, 5], [1, 2, 1, 1, 3, 1, 2]);
const sparseOf = (values: Tensor): SparseTensor => new SparseTensor(pattern, values);

interface Case {
  name: string;
  inputs: () => Tensor[];
  build: Build;
  options?: GradCheckOptions;
}

const cases: Case[] = [
  { name: 'matmul', inputs: () => [rand(3, 4, 1), rand(4, 5, 2)], build: (g, [a, b]) => g.matmul(a, b) },
  {
    name: 'matmul transA',
    inputs: () => [rand(4, 3, 1), rand(4, 5, 2)],
    build: (g, [a, b]) => g.matmul(a, b, { transA: true }),
  },
  {
    name: 'matmul transB',
    inputs: () => [rand(3, 4, 1), rand(5, 4, 2)],
    build: (g, [a, b]) => g.matmul(a, b, { transB: true }),
  },
  {
    name: 'matmul transA transB',
    inputs: () => [rand(4, 3, 1), rand(5, 4, 2)],
    build: (g, [a, b]) => g.matmul(a, b, { transA: true, transB: true }),
  },
  {
    name: 'matmul 1-row batch',
    inputs: () => [rand(1, 7, 3), rand(7, 2, 4)],
    build: (g, [a, b]) => g.matmul(a, b),
  },
  {
    name: 'linear',
    inputs: () => [rand(3, 4, 1), rand(4, 5, 2), rand(1, 5, 3)],
    build: (g, [x, w, b]) => g.linear(x, w, b),
  },
  {
    name: 'linear with a residual',
    inputs: () => [rand(3, 4, 1), rand(4, 5, 2), rand(1, 5, 3), rand(3, 5, 4)],
    build: (g, [x, w, b, r]) => g.linear(x, w, b, r),
  },
  {
    name: 'spmm (into dense weights and sparse values)',
    inputs: () => [rand(1, pattern.nnz, 5), rand(6, 3, 6)],
    build: (g, [v, w]) => g.spmm(sparseOf(v), w),
  },
  {
    name: 'linearSparse',
    inputs: () => [rand(1, pattern.nnz, 5), rand(6, 3, 6), rand(1, 3, 7)],
    build: (g, [v, w, b]) => g.linearSparse(sparseOf(v), w, b),
  },
  { name: 'add', inputs: () => [rand(3, 4, 1), rand(3, 4, 2)], build: (g, [a, b]) => g.add(a, b) },
  { name: 'add bias row [1xn]', inputs: () => [rand(3, 4, 1), rand(1, 4, 2)], build: (g, [a, b]) => g.add(a, b) },
  { name: 'add outer [mx1]+[1xn]', inputs: () => [rand(3, 1, 1), rand(1, 4, 2)], build: (g, [a, b]) => g.add(a, b) },
  { name: 'sub column [mx1]', inputs: () => [rand(3, 4, 1), rand(3, 1, 2)], build: (g, [a, b]) => g.sub(a, b) },
  { name: 'mul', inputs: () => [rand(3, 4, 1), rand(3, 4, 2)], build: (g, [a, b]) => g.mul(a, b) },
  { name: 'mul by column [mx1]', inputs: () => [rand(3, 4, 1), rand(3, 1, 2)], build: (g, [a, b]) => g.mul(a, b) },
  {
    name: 'div',
    inputs: () => [rand(3, 4, 1), awayFromZero(rand(3, 4, 2))],
    build: (g, [a, b]) => g.div(a, b),
  },
  {
    name: 'div by scalar tensor [1x1]',
    inputs: () => [rand(3, 4, 1), awayFromZero(rand(1, 1, 2))],
    build: (g, [a, b]) => g.div(a, b),
  },
  { name: 'scale', inputs: () => [rand(3, 4, 1)], build: (g, [a]) => g.scale(a, -2.5) },
  { name: 'divScalar', inputs: () => [rand(3, 4, 1)], build: (g, [a]) => g.divScalar(a, 4) },
  { name: 'addScalar', inputs: () => [rand(3, 4, 1)], build: (g, [a]) => g.addScalar(a, 0.7) },
  { name: 'tanh', inputs: () => [rand(3, 5, 1, -3, 3)], build: (g, [a]) => g.tanh(a) },
  { name: 'sigmoid', inputs: () => [rand(3, 5, 1, -4, 4)], build: (g, [a]) => g.sigmoid(a) },
  { name: 'relu', inputs: () => [awayFromZero(rand(3, 5, 1))], build: (g, [a]) => g.relu(a) },
  { name: 'exp', inputs: () => [rand(3, 5, 1, -2, 2)], build: (g, [a]) => g.exp(a) },
  { name: 'log', inputs: () => [rand(3, 5, 1, 0.3, 3)], build: (g, [a]) => g.log(a) },
  { name: 'softplus', inputs: () => [rand(3, 5, 1, -5, 5)], build: (g, [a]) => g.softplus(a) },
  { name: 'square', inputs: () => [rand(3, 5, 1)], build: (g, [a]) => g.square(a) },
  { name: 'sum all', inputs: () => [rand(3, 5, 1)], build: (g, [a]) => g.sum(a) },
  { name: 'sum axis 0', inputs: () => [rand(3, 5, 1)], build: (g, [a]) => g.sum(a, 0) },
  { name: 'sum axis 1', inputs: () => [rand(3, 5, 1)], build: (g, [a]) => g.sum(a, 1) },
  { name: 'mean all', inputs: () => [rand(3, 5, 1)], build: (g, [a]) => g.mean(a) },
  { name: 'mean axis 0', inputs: () => [rand(3, 5, 1)], build: (g, [a]) => g.mean(a, 0) },
  { name: 'mean axis 1', inputs: () => [rand(3, 5, 1)], build: (g, [a]) => g.mean(a, 1) },
  { name: 'rowL2Normalize', inputs: () => [rand(3, 5, 1)], build: (g, [a]) => g.rowL2Normalize(a) },
  { name: 'softmax', inputs: () => [rand(3, 5, 1, -2, 2)], build: (g, [a]) => g.softmax(a) },
  { name: 'logSoftmax', inputs: () => [rand(3, 5, 1, -2, 2)], build: (g, [a]) => g.logSoftmax(a) },
  {
    name: 'multinomialNll (weighted sparse targets)',
    inputs: () => [rand(4, 6, 1, -2, 2)],
    build: (g, [logits]) => g.multinomialNll(logits, pattern),
  },
  {
    name: 'multinomialNll on computed logits (gradient buffer handed over)',
    inputs: () => [rand(4, 3, 1), rand(3, 6, 2)],
    build: (g, [h, w]) => g.multinomialNll(g.matmul(h, w), pattern),
  },
  {
    name: 'dropout',
    inputs: () => [rand(4, 6, 1)],
    build: (g, [a]) => g.dropout(a, 0.4, Rng.seeded(3)),
  },
  {
    name: 'reparameterize',
    inputs: () => [rand(3, 4, 1), rand(3, 4, 2, -1, 0.5)],
    build: (g, [mu, lv]) => g.reparameterize(mu, lv, Rng.seeded(3)),
  },
  {
    name: 'gumbelSoftmax (tau 0.5)',
    inputs: () => [rand(3, 5, 1)],
    build: (g, [a]) => g.gumbelSoftmax(a, 0.5, Rng.seeded(3)),
  },
  {
    name: 'klDiagGaussian (standard prior)',
    inputs: () => [rand(3, 4, 1), rand(3, 4, 2, -1, 1)],
    build: (g, [mu, lv]) => g.klDiagGaussian(mu, lv),
  },
  {
    name: 'klDiagGaussian (prior N(0, 0.075^2))',
    inputs: () => [rand(3, 4, 1, -0.1, 0.1), rand(3, 4, 2, -6, -4)],
    build: (g, [mu, lv]) => g.klDiagGaussian(mu, lv, 2 * Math.log(0.075)),
  },
  {
    name: 'cosineSimilarity',
    inputs: () => [rand(3, 4, 1), rand(5, 4, 2)],
    build: (g, [a, b]) => g.cosineSimilarity(a, b),
  },
  {
    name: 'concat axis 0',
    inputs: () => [rand(2, 3, 1), rand(4, 3, 2)],
    build: (g, [a, b]) => g.concat([a, b], 0),
  },
  {
    name: 'concat axis 1',
    inputs: () => [rand(2, 3, 1), rand(2, 1, 2), rand(2, 2, 3)],
    build: (g, [a, b, c]) => g.concat([a, b, c], 1),
  },
  { name: 'slice axis 0', inputs: () => [rand(5, 3, 1)], build: (g, [a]) => g.slice(a, 0, 1, 4) },
  { name: 'slice axis 1', inputs: () => [rand(3, 6, 1)], build: (g, [a]) => g.slice(a, 1, 2, 5) },
  {
    name: 'gatherRows (repeated indices)',
    inputs: () => [rand(4, 3, 1)],
    build: (g, [a]) => g.gatherRows(a, Int32Array.of(2, 0, 2, 3)),
  },
  {
    name: 'sparseRowNormalize',
    inputs: () => [rand(1, pattern.nnz, 1, 0.2, 2)],
    build: (g, [v]) => g.sparseRowNormalize(sparseOf(v)).values,
  },
  {
    name: 'sparseDropout',
    inputs: () => [rand(1, pattern.nnz, 1)],
    build: (g, [v]) => g.sparseDropout(sparseOf(v), 0.5, Rng.seeded(4)).values,
  },
  {
    name: 'sparseScaleColumns (values and column weights)',
    inputs: () => [rand(1, pattern.nnz, 1), rand(6, 1, 2)],
    build: (g, [v, w]) => g.sparseScaleColumns(sparseOf(v), w).values,
  },
  {
    name: 'logSumExpWeighted (row-broadcast and full weights)',
    inputs: () => [rand(3, 5, 1, -2, 2), rand(3, 5, 2, -2, 2), rand(1, 5, 3, 0.1, 1), rand(3, 5, 4, 0.1, 1)],
    build: (g, [l1, l2, w1, w2]) => g.logSumExpWeighted([l1, l2], [w1, w2]),
  },
  {
    name: 'layerNorm',
    inputs: () => [rand(3, 6, 1, -2, 2), rand(1, 6, 2, 0.5, 1.5), rand(1, 6, 3)],
    build: (g, [x, gamma, beta]) => g.layerNorm(x, gamma, beta),
  },
  { name: 'transpose', inputs: () => [rand(3, 5, 1)], build: (g, [a]) => g.transpose(a) },
  {
    name: 'logSumExpWeighted with large logits (stability)',
    inputs: () => [rand(2, 4, 1, 80, 90), rand(2, 4, 2, 80, 90), rand(1, 4, 3, 0.1, 1), rand(1, 4, 4, 0.1, 1)],
    build: (g, [l1, l2, w1, w2]) => g.logSumExpWeighted([l1, l2], [w1, w2]),
    options: { eps: 1e-3 }, // the default step is relative: 1% of 85 would be far too coarse
  },
  { name: 'swish', inputs: () => [rand(3, 5, 1, -3, 3)], build: (g, [a]) => g.swish(a) },
  {
    name: 'composite: Mult-VAE style loss',
    inputs: () => [rand(1, pattern.nnz, 1, 0.5, 1.5), rand(6, 5, 2, -0.5, 0.5), rand(5, 6, 3, -0.5, 0.5)],
    build: (g: Graph, [v, w1, w2]) => {
      const x = g.sparseDropout(g.sparseRowNormalize(sparseOf(v)), 0.3, Rng.seeded(5));
      const h = g.tanh(g.spmm(x, w1));
      return g.mean(g.multinomialNll(g.matmul(h, w2), pattern));
    },
  },
];

for (const { name: provider, kernels } of providers()) {
  describe(`gradients (${provider})`, () => {
    for (const c of cases) {
      test(c.name, () => gradCheck(kernels, c.build, c.inputs(), c.options));
    }
  });
}
