// Preprocessing, the synthetic generator's planted factors, and the split protocols.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import type { Dataset } from '../../src/data/dataset.js';
import { DataFormatError, ProtocolError } from '../../src/data/errors.js';
import { loadMovieLens } from '../../src/data/loaders/movielens.js';
import { generateSynthetic } from '../../src/data/loaders/synthetic.js';
import { matrixHash, preprocess } from '../../src/data/preprocess.js';
import { loadSplit, saveSplit } from '../../src/data/split/io.js';
import { makeSplit } from '../../src/data/split/protocols.js';
import { sharedData, skipNoShared } from '../helpers/shared.js';

const tmp = mkdtempSync(join(tmpdir(), 'untangle-pipeline-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function table(rows: [string, string, number, number?][]): Dataset {
  const userIds = [...new Set(rows.map((r) => r[0]))];
  const itemIds = [...new Set(rows.map((r) => r[1]))];
  return {
    name: 't',
    ratings: {
      userIds,
      itemIds,
      user: Int32Array.from(rows, (r) => userIds.indexOf(r[0])),
      item: Int32Array.from(rows, (r) => itemIds.indexOf(r[1])),
      rating: Float32Array.from(rows, (r) => r[2]),
      timestamp: Float64Array.from(rows, (r) => r[3] ?? 0),
    },
    ratingScale: { min: 1, max: 5 },
    itemMeta: null,
    userMeta: null,
    factors: null,
    source: { kind: 'generated' },
  };
}

describe('preprocessing', () => {
  test('threshold keeps ratings strictly above it and binarises', () => {
    const d = preprocess(
      table([
        ['a', 'x', 4],
        ['a', 'y', 3.5],
        ['a', 'z', 5],
      ]),
      { minUserItems: 1 },
    );
    assert.equal(d.stats.belowThreshold, 1);
    assert.deepEqual(d.itemIds, ['x', 'z']);
    assert.deepEqual(Array.from(d.matrix.values), [1, 1]);
  });
  test('the k-core filter iterates until stable', () => {
    // dropping item q (1 user) leaves user c with 1 item, which then must go too
    const rows: [string, string, number][] = [
      ['a', 'p', 5],
      ['a', 'r', 5],
      ['b', 'p', 5],
      ['b', 'r', 5],
      ['c', 'p', 5],
      ['c', 'q', 5],
    ];
    const d = preprocess(table(rows), { minUserItems: 2, minItemUsers: 2 });
    assert.deepEqual(d.userIds, ['a', 'b']);
    assert.deepEqual(d.itemIds, ['p', 'r']);
    assert.equal(d.stats.droppedByCore, 2);
  });
  test('unknown options are refused', () =>
    assert.throws(() => preprocess(table([['a', 'x', 5]]), { treshold: 3 } as never)));
});

describe('synthetic generator', () => {
  const ds = generateSynthetic({ size: 'tiny', seed: 4 });
  test('is deterministic in its seed', () => {
    assert.deepEqual(generateSynthetic({ size: 'tiny', seed: 4 }).ratings, ds.ratings);
    assert.notDeepEqual(generateSynthetic({ size: 'tiny', seed: 5 }).ratings.item, ds.ratings.item);
  });
  test('returns ground-truth factors for every item and user', () => {
    const f = ds.factors!;
    assert.deepEqual(f.itemFactors, ['genre', 'year', 'quality']);
    f.itemLevels.forEach((levels, k) => assert.ok(levels.every((l) => l >= 0 && l < f.itemLevelCounts[k])));
    assert.equal(f.userPreferences[0].length, ds.ratings.userIds.length * f.itemLevelCounts[0]);
  });
  test('users interact mostly with their favourite genres (the planted structure is there)', () => {
    const f = ds.factors!;
    const K = f.itemLevelCounts[0];
    let onFavourite = 0;
    for (let r = 0; r < ds.ratings.user.length; r++) {
      const u = ds.ratings.user[r];
      const taste = f.userPreferences[0].subarray(u * K, (u + 1) * K);
      const fav = taste.indexOf(Math.max(...taste));
      if (f.itemLevels[0][ds.ratings.item[r]] === fav) onFavourite++;
    }
    assert.ok(
      onFavourite / ds.ratings.user.length > 0.4,
      `share on favourite genre ${onFavourite / ds.ratings.user.length} (chance: ${1 / K})`,
    );
  });
  test('bad options fail loudly', () => assert.throws(() => generateSynthetic({ size: 'huge' } as never)));
});

describe('splits', () => {
  const data = preprocess(generateSynthetic({ size: 'tiny', seed: 1 }));
  test('strong: disjoint users, items from training users only, max(1, floor(0.2 n)) targets', () => {
    const s = makeSplit(data, { type: 'strong', validationUsers: 0.1, testUsers: 0.1, seed: 3 });
    const groups = [s.fitValidation.users, s.validation.users, s.test.users].map((g) => new Set(g));
    assert.equal(
      groups.reduce((a, g) => a + g.size, 0),
      data.matrix.rows,
    );
    assert.ok([...groups[1]].every((u) => !groups[0].has(u) && !groups[2].has(u)));
    const trainItems = new Set(Array.from(s.fitValidation.matrix.indices));
    assert.equal(trainItems.size, s.itemIds.length);
    for (let r = 0; r < s.test.users.length; r++) {
      const n = s.test.foldIn.rowNnz(r) + s.test.heldOut.rowNnz(r);
      if (n > 0) assert.equal(s.test.heldOut.rowNnz(r), Math.max(1, Math.floor(0.2 * n)));
    }
    assert.equal(s.fitTest.matrix, s.fitValidation.matrix);
  });
  test('strong: counts instead of fractions, and too many held-out users is an error', () => {
    assert.equal(makeSplit(data, { type: 'strong', validationUsers: 10, testUsers: 12 }).test.users.length, 12);
    assert.throws(() => makeSplit(data, { type: 'strong', validationUsers: 0.6, testUsers: 0.6 }), ProtocolError);
  });
  test('weak: about 64 / 16 / 20 of every user, test fold-in = train + validation', () => {
    const s = makeSplit(data, { type: 'weak', seed: 3 });
    const total = data.matrix.nnz;
    const share = (x: number) => x / total;
    assert.ok(Math.abs(share(s.fitValidation.matrix.nnz) - 0.64) < 0.03);
    assert.ok(Math.abs(share(s.validation.heldOut.nnz) - 0.16) < 0.03);
    assert.ok(Math.abs(share(s.test.heldOut.nnz) - 0.2) < 0.03);
    assert.equal(s.test.foldIn.nnz, s.fitValidation.matrix.nnz + s.validation.heldOut.nnz);
  });
  test("weak with time order holds out each user's latest interactions", () => {
    const s = makeSplit(data, { type: 'weak', order: 'time' });
    const ts = data.timestamps!;
    const m = data.matrix;
    for (let u = 0; u < 20; u++) {
      const stamp = (cols: Int32Array) =>
        Array.from(cols, (c) => ts[m.indptr[u] + m.indices.subarray(m.indptr[u], m.indptr[u + 1]).indexOf(c)]);
      const test = stamp(s.test.heldOut.indices.subarray(s.test.heldOut.indptr[u], s.test.heldOut.indptr[u + 1]));
      const kept = stamp(s.test.foldIn.indices.subarray(s.test.foldIn.indptr[u], s.test.foldIn.indptr[u + 1]));
      if (test.length && kept.length) assert.ok(Math.min(...test) >= Math.max(...kept));
    }
  });
  test('time order without timestamps is refused with a clear error', () => {
    const noTime = { ...data, timestamps: null, dataset: 'ml-1m' };
    assert.throws(
      () => makeSplit(noTime, { type: 'weak', order: 'time' }),
      (e: unknown) => e instanceof ProtocolError && /no timestamps/.test(e.message),
    );
  });
  test('same config, same split (byte for byte); save/load round trip; a tampered file is detected', () => {
    const a = saveSplit(makeSplit(data, { type: 'strong', seed: 9 }), join(tmp, 'a'));
    const b = saveSplit(makeSplit(data, { type: 'strong', seed: 9 }), join(tmp, 'b'));
    assert.equal(a.hash, b.hash);
    const c = saveSplit(makeSplit(data, { type: 'strong', seed: 10 }), join(tmp, 'c'));
    assert.notEqual(a.hash, c.hash);
    const { split } = loadSplit(join(tmp, 'a'));
    const orig = makeSplit(data, { type: 'strong', seed: 9 });
    assert.equal(matrixHash(split.test.heldOut), matrixHash(orig.test.heldOut));
    assert.deepEqual(split.itemIds, orig.itemIds);
    writeFileSync(join(tmp, 'a', 'split.bin'), Buffer.from('tampered'));
    assert.throws(
      () => loadSplit(join(tmp, 'a')),
      (e: unknown) => e instanceof DataFormatError && /does not match the manifest/.test(e.message),
    );
    assert.throws(() => loadSplit(join(tmp, 'nowhere')), /not a split directory/);
  });
});

describe('real MovieLens copies (../shared/data)', { skip: skipNoShared }, () => {
  test('ML-100k: Liang et al. preprocessing gives 938 users and 55,361 positives', () => {
    const d = preprocess(loadMovieLens('ml-100k', sharedData('ml-100k')!));
    assert.equal(d.stats.ratings, 100_000);
    assert.equal(d.stats.users, 938);
    assert.equal(d.stats.kept, 55_361);
  });
  test('ML-1M (no timestamps): 6,034 users and 575,272 positives; loading + splitting ML-100k < 1 s', () => {
    const d = preprocess(loadMovieLens('ml-1m', sharedData('ml-1m')!));
    assert.equal(d.stats.ratings, 1_000_209);
    assert.equal(d.stats.users, 6034);
    assert.equal(d.stats.kept, 575_272);
    const t = performance.now();
    makeSplit(preprocess(loadMovieLens('ml-100k', sharedData('ml-100k')!)), { type: 'strong' });
    assert.ok(performance.now() - t < 2000, 'generous bound for CI; the benchmark target is 1 s');
  });
});
