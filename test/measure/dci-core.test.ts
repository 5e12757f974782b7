import assert from 'node:assert/strict';
import { test } from 'node:test';

import { matrix } from '../../src/measure/matrix.js';
import { dciFromImportance } from '../../src/measure/metrics/dci.js';
import { reference, skipNoShared } from '../helpers/shared.js';

interface DciCase {
  name: string;
  importance: number[][];
  disentanglement: number;
  completeness: number;
}

const fromRows = (rows: number[][]) => matrix(rows.length, rows[0].length, Float64Array.from(rows.flat()));

test('DCI core: every dci_core.json case to 1e-6', { skip: skipNoShared }, () => {
  const { cases } = reference<{ cases: DciCase[] }>('dci_core.json');
  assert.equal(cases.length, 12);
  for (const c of cases) {
    const got = dciFromImportance(fromRows(c.importance));
    assert.ok(Math.abs(got.disentanglement - c.disentanglement) < 1e-6, `${c.name} D ${got.disentanglement}`);
    assert.ok(Math.abs(got.completeness - c.completeness) < 1e-6, `${c.name} C ${got.completeness}`);
  }
});

test('DCI core: diagonal importance -> 1, zeros -> 0', () => {
  const eye = matrix(4, 4);
  for (let i = 0; i < 4; i++) eye.data[i * 4 + i] = 0.7;
  const d = dciFromImportance(eye);
  // The 1e-11 smoothing costs ~1e-9, as in disentanglement_lib.
  assert.ok(Math.abs(d.disentanglement - 1) < 1e-8 && Math.abs(d.completeness - 1) < 1e-8);
  assert.deepEqual(dciFromImportance(matrix(3, 5)), { disentanglement: 0, completeness: 0 });
});

test('DCI core: two redundant codes per factor', () => {
  // 2F codes, code 2k and 2k+1 both (equally) explain factor k and nothing else. Each code points at one factor,
  // so D = 1. Each factor's importance is uniform over 2 of the 2F codes: H = log 2 / log 2F in base 2F, so
  // C = 1 - 1 / log2(2F): exactly 0.5 for F = 2 (the "redundant codes -> C = 0.5" case) and 2/3 for F = 4.
  for (const [nFactors, expected] of [
    [2, 0.5],
    [4, 2 / 3],
  ]) {
    const imp = matrix(2 * nFactors, nFactors);
    for (let k = 0; k < nFactors; k++) {
      imp.data[2 * k * nFactors + k] = 1;
      imp.data[(2 * k + 1) * nFactors + k] = 1;
    }
    const d = dciFromImportance(imp);
    assert.ok(Math.abs(d.completeness - expected) < 1e-8, `F=${nFactors}: C ${d.completeness}`);
    assert.ok(Math.abs(d.disentanglement - 1) < 1e-8, `F=${nFactors}: D ${d.disentanglement}`);
  }
});

test('DCI core: one code for two factors halves its disentanglement weight, by hand', () => {
  // Code 0 explains factors 0 and 1 equally (H = log 2 / log 3), code 1 explains factor 2; rho = (2/3, 1/3).
  const d = dciFromImportance(
    fromRows([
      [1, 1, 0],
      [0, 0, 1],
    ]),
  );
  const expected = (2 / 3) * (1 - Math.log(2) / Math.log(3)) + 1 / 3;
  assert.ok(Math.abs(d.disentanglement - expected) < 1e-8);
  assert.throws(() => dciFromImportance(fromRows([[1, -1]])), RangeError);
});
