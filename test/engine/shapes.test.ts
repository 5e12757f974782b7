// Wrong shapes throw a typed ShapeError whose message names the op and both shapes.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CsrMatrix, Graph, PortableKernels, ShapeError, SparseTensor, Tensor } from '../../src/engine/index.js';

const g = new Graph(new PortableKernels());
const a = Tensor.zeros(3, 4);
const b = Tensor.zeros(5, 2);

function throwsShape(fn: () => unknown, ...mentions: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ShapeError, `expected ShapeError, got ${String(err)}`);
    assert.equal(err.code, 'E_SHAPE');
    for (const m of mentions) assert.ok(err.message.includes(m), `"${err.message}" should mention ${m}`);
    return true;
  });
}

test('matmul names both shapes', () => throwsShape(() => g.matmul(a, b), 'matmul', '[3x4]', '[5x2]'));
test('matmul with transposes shows them', () =>
  throwsShape(() => g.matmul(a, b, { transA: true }), '[3x4]^T', '[5x2]'));
test('linear checks the bias', () =>
  throwsShape(() => g.linear(a, Tensor.zeros(4, 2), Tensor.zeros(1, 3)), 'bias', '[1x3]', '[4x2]'));
test('add refuses non-broadcastable shapes', () => throwsShape(() => g.add(a, b), 'add', '[3x4]', '[5x2]'));
test('mul refuses a wrong row vector', () => throwsShape(() => g.mul(a, Tensor.zeros(1, 3)), '[3x4]', '[1x3]'));
test('spmm names the sparse and dense shapes', () => {
  const s = SparseTensor.constant(CsrMatrix.fromTriplets(2, 4, [0], [1]));
  throwsShape(() => g.spmm(s, b), 'spmm', '[2x4]', '[5x2]');
});
test('multinomialNll checks targets', () =>
  throwsShape(() => g.multinomialNll(a, CsrMatrix.fromTriplets(3, 5, [0], [1])), '[3x4]', '[3x5]'));
test('concat checks the other axis', () => throwsShape(() => g.concat([a, b], 1), 'concat', '[5x2]', '[3x4]'));
test('slice checks its range', () => throwsShape(() => g.slice(a, 1, 2, 9), 'slice', '[3x4]'));
test('reparameterize needs equal shapes', () =>
  throwsShape(() => g.reparameterize(a, b, undefined as never), '[3x4]', '[5x2]'));
test('cosineSimilarity needs equal row lengths', () => throwsShape(() => g.cosineSimilarity(a, b), '[3x4]', '[5x2]'));
test('tensor data must fill its shape', () => throwsShape(() => new Tensor(2, 2, new Float32Array(3)), '[2x2]'));
test('sparse values must match the pattern', () =>
  throwsShape(() => new SparseTensor(CsrMatrix.fromTriplets(2, 2, [0], [1]), Tensor.zeros(1, 2)), 'nnz'));
test('backward needs a [1x1] loss', () => {
  const p = Tensor.param(2, 2);
  const t = new Graph(new PortableKernels());
  throwsShape(() => t.backward(t.scale(p, 2)), 'loss', '[2x2]');
});
