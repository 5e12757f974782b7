import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CsrMatrix, ShapeError } from '../../src/engine/index.js';

test('fromTriplets sorts rows and columns and keeps explicit values', () => {
  const m = CsrMatrix.fromTriplets(3, 4, [2, 0, 2, 0], [1, 3, 0, 1], [5, 6, 7, 8]);
  assert.deepEqual(Array.from(m.indptr), [0, 2, 2, 4]);
  assert.deepEqual(Array.from(m.indices), [1, 3, 0, 1]);
  assert.deepEqual(Array.from(m.values), [8, 6, 7, 5]);
  assert.deepEqual(Array.from(m.toDense()), [0, 8, 0, 6, 0, 0, 0, 0, 7, 5, 0, 0]);
});

test('duplicate policies: sum, last (later triplet wins), error', () => {
  const args = [2, 2, [0, 1, 0], [1, 0, 1], [2, 3, 4]] as const;
  assert.deepEqual(Array.from(CsrMatrix.fromTriplets(...args, 'sum').values), [6, 3]);
  assert.deepEqual(Array.from(CsrMatrix.fromTriplets(...args, 'last').values), [4, 3]);
  assert.throws(() => CsrMatrix.fromTriplets(...args, 'error'), /duplicate entry at \(0, 1\)/);
});

test('out-of-range triplets are rejected with their position', () => {
  assert.throws(
    () => CsrMatrix.fromTriplets(2, 2, [0, 2], [0, 0]),
    (e: unknown) => e instanceof ShapeError && /entry 1/.test(e.message),
  );
  assert.throws(() => CsrMatrix.fromTriplets(2, 2, [0], [-1]), ShapeError);
  assert.throws(() => CsrMatrix.fromTriplets(2, 2, [0.5], [0]), ShapeError);
});

test('sliceRows gathers rows in the given order, transpose round-trips', () => {
  const m = CsrMatrix.fromTriplets(3, 3, [0, 1, 1, 2], [2, 0, 1, 1], [1, 2, 3, 4]);
  const s = m.sliceRows([2, 0, 2]);
  assert.deepEqual(Array.from(s.toDense()), [0, 4, 0, 0, 0, 1, 0, 4, 0]);
  assert.deepEqual(Array.from(m.transpose().transpose().toDense()), Array.from(m.toDense()));
  assert.deepEqual(Array.from(m.transpose().toDense()), [0, 2, 0, 0, 3, 4, 1, 0, 0]);
  assert.throws(() => m.sliceRows([3]), ShapeError);
  assert.equal(m.rowRange(1, 3).nnz, 3);
});
