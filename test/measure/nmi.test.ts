import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/engine/index.js';
import { normalizedMutualInformation as nmi } from '../../src/measure/nmi.js';

test('NMI: 1 for identical partitions up to relabelling, about 0 for independent ones', () => {
  assert.equal(nmi([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 2, 2]), 1);
  assert.ok(Math.abs(nmi([0, 0, 1, 1, 2, 2], [2, 2, 0, 0, 1, 1]) - 1) < 1e-12);
  const r = Rng.seeded(1);
  const a = Array.from({ length: 20000 }, () => r.int(5));
  const b = Array.from({ length: 20000 }, () => r.int(5));
  assert.ok(nmi(a, b) < 0.005);
});

test('NMI: a known value (two clusters, one of them split)', () => {
  // A = [0,0,0,0,1,1,1,1], B = [0,0,1,1,2,2,2,2]: I = ln 2, H(A) = ln 2, H(B) = 1.5 ln 2 -> 1 / sqrt(1.5)
  assert.ok(Math.abs(nmi([0, 0, 0, 0, 1, 1, 1, 1], [0, 0, 1, 1, 2, 2, 2, 2]) - 1 / Math.sqrt(1.5)) < 1e-12);
});
