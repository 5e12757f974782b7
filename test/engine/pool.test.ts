// Pooled buffers never leak into parameters: a parameter's gradient survives the release of its graph's buffers.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BufferPool, CsrMatrix, Graph, PortableKernels, Tensor } from '../../src/engine/index.js';

test('a parameter fed straight into multinomialNll keeps its own gradient buffer', () => {
  const kernels = new PortableKernels();
  const targets = CsrMatrix.fromTriplets(2, 3, [0, 1, 1], [2, 0, 1]);
  const gradOf = (pool?: BufferPool) => {
    const p = Tensor.param(2, 3, Float32Array.of(0.1, -0.2, 0.3, 0.5, 0, -0.5));
    const g = new Graph(kernels, { pool });
    g.backward(g.mean(g.multinomialNll(p, targets)));
    g.release();
    if (pool) pool.take(6, false).fill(1e9); // whatever went back to the pool gets scribbled over
    return Array.from(p.grad ?? []);
  };
  assert.deepEqual(gradOf(new BufferPool({ minFloats: 1 })), gradOf());
});

test('take returns zeroed buffers on request and give caps what it keeps', () => {
  const pool = new BufferPool({ minFloats: 4, maxFloats: 8 });
  const a = pool.take(8, true);
  a.fill(3);
  pool.give(a);
  assert.equal(pool.take(8, false), a);
  pool.give(a);
  assert.deepEqual(Array.from(pool.take(8, true)), new Array(8).fill(0));
  pool.give(new Float32Array(8));
  pool.give(new Float32Array(8)); // over the cap: dropped
  const first = pool.take(8, false);
  assert.notEqual(pool.take(8, false), first);
});
