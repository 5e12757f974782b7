// Blocked Cholesky, SPD solve and inverse against their defining identities, on sizes below and above the panel.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  Graph,
  NotPositiveDefiniteError,
  Rng,
  Tensor,
  cholesky,
  spdInverse,
  spdSolve,
} from '../../src/engine/index.js';
import { providers } from '../helpers/providers.js';

/** A well-conditioned SPD matrix X^T X / n + I of size n. */
function spd(n: number, seed: number): Tensor {
  const rows = n + 10;
  const x = new Tensor(rows, n, Rng.seeded(seed).fillNormal(new Float32Array(rows * n)));
  const g = new Graph(providers()[0].kernels, { grad: false });
  const a = g.scale(g.matmul(x, x, { transA: true }), 1 / rows);
  for (let i = 0; i < n; i++) a.data[i * n + i] += 1;
  return a;
}

function maxAbs(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

for (const { name, kernels } of providers()) {
  describe(`linalg (${name})`, () => {
    for (const n of [1, 5, 255, 256, 257, 300, 530, 771]) {
      test(`cholesky, solve and inverse, n = ${n}`, () => {
        const a = spd(n, n);
        const l = cholesky(kernels, a);
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) assert.equal(l.data[i * n + j], 0);
        const g = new Graph(kernels, { grad: false });
        assert.ok(maxAbs(g.matmul(l, l, { transB: true }).data, a.data) < 2e-5, 'L L^T = A');

        const b = new Tensor(n, 3, Rng.seeded(1).fillNormal(new Float32Array(n * 3)));
        const x = spdSolve(kernels, a, b);
        assert.ok(maxAbs(g.matmul(a, x).data, b.data) < 2e-4, 'A X = B');

        const inv = spdInverse(kernels, a);
        const eye = new Float32Array(n * n);
        for (let i = 0; i < n; i++) eye[i * n + i] = 1;
        assert.ok(maxAbs(g.matmul(a, inv).data, eye) < 2e-4, 'A A^-1 = I');
      });
    }

    test('a matrix that is not positive definite throws NotPositiveDefiniteError naming the pivot', () => {
      const a = Tensor.from(3, 3, [4, 2, 0, 2, 1, 0, 0, 0, 1]); // singular leading 2x2 block
      assert.throws(
        () => cholesky(kernels, a),
        (e: unknown) => e instanceof NotPositiveDefiniteError && e.pivot === 1,
      );
    });

    test('a known 3x3 factor', () => {
      const a = Tensor.from(3, 3, [4, 12, -16, 12, 37, -43, -16, -43, 98]);
      assert.deepEqual(Array.from(cholesky(kernels, a).data), [2, 0, 0, 6, 1, 0, -8, 5, 3]);
    });
  });
}
