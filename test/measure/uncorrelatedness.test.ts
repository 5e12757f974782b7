import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/engine/index.js';
import { matrix } from '../../src/measure/matrix.js';
import { uncorrelatedness } from '../../src/measure/metrics/uncorrelatedness.js';
import { reference, skipNoShared } from '../helpers/shared.js';

test('uncorrelatedness: matches uncorrelatedness.json to 1e-6', { skip: skipNoShared }, () => {
  const ref = reference<{ codes: number[][]; uncorrelatedness: number }>('uncorrelatedness.json');
  const codes = matrix(ref.codes.length, ref.codes[0].length, Float64Array.from(ref.codes.flat()));
  assert.ok(Math.abs(uncorrelatedness(codes) - ref.uncorrelatedness) < 1e-6);
});

test('uncorrelatedness: identical (or negated) columns -> 0, independent columns -> ~1', () => {
  const rng = Rng.seeded(3);
  const n = 20000;
  const same = matrix(n, 3);
  const indep = matrix(n, 4);
  for (let i = 0; i < n; i++) {
    const v = rng.normal();
    same.data.set([v, v, -2 * v + 1], i * 3);
    for (let k = 0; k < 4; k++) indep.data[i * 4 + k] = rng.normal();
  }
  assert.ok(Math.abs(uncorrelatedness(same)) < 1e-12);
  assert.ok(uncorrelatedness(indep) > 0.98);
});

test('uncorrelatedness: a constant column counts as uncorrelated with the others', () => {
  // Columns 0 and 1 are perfectly correlated, column 2 constant: pairs (0,1)=1, (0,2)=0, (1,2)=0 -> 1 - 1/3.
  const codes = matrix(4, 3, Float64Array.from([1, 2, 0.1, 2, 4, 0.1, 3, 6, 0.1, 5, 10, 0.1]));
  assert.ok(Math.abs(uncorrelatedness(codes) - 2 / 3) < 1e-12);
});
