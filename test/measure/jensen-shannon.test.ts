import assert from 'node:assert/strict';
import { test } from 'node:test';

import { matrix } from '../../src/measure/matrix.js';
import { jensenShannonDistance, meanPairwiseJsDistance } from '../../src/measure/metrics/jensen-shannon.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);

test('Jensen-Shannon distance: disjoint supports -> 1, identical -> 0, normalises its inputs', () => {
  close(jensenShannonDistance([1, 0], [0, 1]), 1);
  close(jensenShannonDistance([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]), 0);
  close(jensenShannonDistance([2, 3, 5], [0.2, 0.3, 0.5]), 0);
  assert.throws(() => jensenShannonDistance([0, 0], [1, 0]), RangeError);
});

test('Jensen-Shannon distance: a hand-computed case', () => {
  // p = (1, 0), q = (1/2, 1/2): m = (3/4, 1/4). KL(p||m) = log2(4/3); KL(q||m) = 1/2 log2(2/3) + 1/2 log2(2).
  // JS = (KL(p||m) + KL(q||m)) / 2 = 3/2 - (3/4) log2 3; distance = sqrt(JS) = 0.5579230452841438 (scipy).
  const js = (Math.log2(4 / 3) + 0.5 * Math.log2(2 / 3) + 0.5 * Math.log2(2)) / 2;
  close(jensenShannonDistance([1, 0], [1, 1]), Math.sqrt(js));
  close(js, 1.5 - 0.75 * Math.log2(3));
  close(Math.sqrt(js), 0.5579230452841438);
});

test('mean pairwise JS distance: columns are factors, all-zero factors are skipped', () => {
  // importance [codes x factors]: factor 0 on code 0, factor 1 on code 1, factor 2 equally on codes 0 and 1.
  const imp = matrix(2, 4, Float64Array.from([3, 0, 1, 0, 0, 5, 1, 0]));
  const half = Math.sqrt(1.5 - 0.75 * Math.log2(3)); // distance of a point mass to the 50/50 mix (see above)
  close(meanPairwiseJsDistance(imp), (1 + half + half) / 3, 1e-9);
  assert.ok(Number.isNaN(meanPairwiseJsDistance(matrix(2, 2, Float64Array.from([1, 0, 1, 0])))));
});
