// The addon checks every index range itself: a bad call throws instead of reading or writing out of bounds.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { native, skipNative } from '../helpers/providers.js';

const f = (n: number) => new Float32Array(n);
const i = (...xs: number[]) => Int32Array.from(xs);

test('addon rejects undersized buffers, bad CSR and wrong types', { skip: skipNative }, () => {
  const a = native(1).addon;
  const bad = (fn: () => void, msg: RegExp) => assert.throws(fn, msg);
  bad(() => a.gemm(false, false, 2, 2, 2, 1, f(3), 0, 2, f(4), 0, 2, 0, f(4), 0, 2, 1), /shorter/);
  bad(() => a.gemm(false, false, 2, 2, 2, 1, f(4), 1, 2, f(4), 0, 2, 0, f(4), 0, 2, 1), /shorter/);
  bad(() => a.gemm(false, false, 2, 2, 2, 1, f(4), 0, 1, f(4), 0, 2, 0, f(4), 0, 2, 1), /leading dimension/);
  bad(() => a.spmm(2, 3, 1, i(0, 1, 2), i(0, 3), f(2), f(3), 0, f(2), 1), /column index out of range/);
  bad(() => a.spmm(2, 3, 1, i(0, 2, 1), i(0, 1), f(2), f(3), 0, f(2), 1), /non-decreasing/);
  bad(() => a.spmmT(2, 3, 1, i(0, 1, 5), i(0, 1), f(2), f(2), f(3), 1), /shorter/);
  bad(() => a.softmaxNll(1, 3, f(3), i(0, 1), i(0), f(1), f(2), f(1), 1), /shorter/);
  bad(() => a.tanh(new Float64Array(2) as unknown as Float32Array, f(2), 1), /Float32Array/);
  bad(() => (a.gemm as (...x: unknown[]) => void)(false, false, 1), /expects 17 arguments/);
  bad(() => a.gemm(false, false, -1, 2, 2, 1, f(4), 0, 2, f(4), 0, 2, 0, f(4), 0, 2, 1), /non-negative integer/);
});
