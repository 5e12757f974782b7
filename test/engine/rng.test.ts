// Seeded, keyed random streams: reproducible, independent per key, and distributed as documented.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/engine/index.js';

const moments = (xs: Float32Array): [number, number] => {
  let s = 0;
  let s2 = 0;
  for (const x of xs) {
    s += x;
    s2 += x * x;
  }
  const m = s / xs.length;
  return [m, s2 / xs.length - m * m];
};

test('the same seed and key path give the same stream', () => {
  const a = Rng.seeded(42).derive('init', 'enc1').fillUniform(new Float32Array(50));
  const b = Rng.seeded(42).derive('init', 'enc1').fillUniform(new Float32Array(50));
  assert.deepEqual(a, b);
});

test('derivation does not depend on draws from the parent (adding a step shifts nothing)', () => {
  const root = Rng.seeded(7);
  const before = root.derive('split').uniform();
  root.fillUniform(new Float32Array(1000));
  assert.equal(root.derive('split').uniform(), before);
  assert.equal(Rng.seeded(7).derive('split').path, '7/split');
});

test("keys with '/' or empty keys are refused (they would make paths ambiguous)", () => {
  assert.throws(() => Rng.seeded(1).derive('a/b'), /contain no '\/'/);
  assert.throws(() => Rng.seeded(1).derive(''), RangeError);
});

test('different keys and seeds give different streams', () => {
  const x = (r: Rng) => Array.from(r.fillUniform(new Float32Array(8)));
  assert.notDeepEqual(x(Rng.seeded(1).derive('a')), x(Rng.seeded(1).derive('b')));
  assert.notDeepEqual(x(Rng.seeded(1).derive('a')), x(Rng.seeded(2).derive('a')));
  assert.notDeepEqual(x(Rng.seeded(1).derive('dropout', 1)), x(Rng.seeded(1).derive('dropout', 2)));
});

test('uniform, normal and Gumbel have the right moments', () => {
  const r = Rng.seeded(3);
  const n = 200_000;
  const [mu, vu] = moments(r.fillUniform(new Float32Array(n)));
  assert.ok(Math.abs(mu - 0.5) < 0.005 && Math.abs(vu - 1 / 12) < 0.002, `uniform ${mu} ${vu}`);
  const [mn, vn] = moments(r.fillNormal(new Float32Array(n), 2, 3));
  assert.ok(Math.abs(mn - 2) < 0.03 && Math.abs(vn - 9) < 0.15, `normal ${mn} ${vn}`);
  const [mg, vg] = moments(r.fillGumbel(new Float32Array(n)));
  assert.ok(Math.abs(mg - 0.5772) < 0.02 && Math.abs(vg - Math.PI ** 2 / 6) < 0.05, `gumbel ${mg} ${vg}`);
  const u = r.fillUniform(new Float32Array(n));
  assert.ok(u.every((x) => x >= 0 && x < 1));
});

test('int is unbiased over a range that does not divide 2^32', () => {
  const r = Rng.seeded(5);
  const counts = new Array(3).fill(0);
  for (let i = 0; i < 90_000; i++) counts[r.int(3)]++;
  for (const c of counts) assert.ok(Math.abs(c - 30_000) < 600, `counts ${counts}`);
});

test('permutation and sampling without replacement', () => {
  const r = Rng.seeded(9);
  const p = r.permutation(1000);
  assert.deepEqual(
    [...p].sort((a, b) => a - b),
    Array.from({ length: 1000 }, (_, i) => i),
  );
  for (const [n, k] of [
    [10, 10],
    [1000, 7],
    [1000, 600],
    [5, 0],
  ]) {
    const s = r.sampleWithoutReplacement(n, k);
    assert.equal(s.length, k);
    assert.equal(new Set(s).size, k);
    assert.ok(s.every((x) => x >= 0 && x < n));
  }
  // every element equally likely to be drawn
  const hits = new Array(10).fill(0);
  for (let t = 0; t < 20_000; t++) for (const x of r.sampleWithoutReplacement(10, 3)) hits[x]++;
  for (const h of hits) assert.ok(Math.abs(h - 6000) < 300, `hits ${hits}`);
  assert.throws(() => r.sampleWithoutReplacement(3, 4), RangeError);
});
