import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { DataFormatError } from '../../src/data/errors.js';
import { generateSynthetic } from '../../src/data/loaders/synthetic.js';
import { preprocess } from '../../src/data/preprocess.js';
import { makeSplit } from '../../src/data/split/protocols.js';
import { CsrMatrix } from '../../src/engine/csr.js';
import { splitHistories, zScore } from '../../src/measure/codes.js';
import { groundTruth } from '../../src/measure/factors/build.js';
import { itemFactorsFromCategories } from '../../src/measure/factors/categories.js';
import { readTagGenome, tagClusterFactors } from '../../src/measure/factors/tags.js';
import { userFactorsFromItems } from '../../src/measure/factors/user-labels.js';
import { matrix } from '../../src/measure/matrix.js';

test('item factors from categories: sorted vocabulary, "(no genres listed)" is not a factor', () => {
  const f = itemFactorsFromCategories([['Drama'], ['Comedy', 'Drama'], ['(no genres listed)'], []]);
  assert.deepEqual(f.names, ['Comedy', 'Drama']);
  assert.deepEqual([...f.labels], [0, 1, 1, 1, 0, 0, 0, 0]);
});

test('user factors: >= 50% of the history in c, factors outside [0.01, 0.99) dropped', () => {
  // items: 0,1 are A; 2 is A and B; 3 is C
  const items = { names: ['A', 'B', 'C'], items: 4, labels: Uint8Array.from([1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1]) };
  // user 0: {0, 3} -> A 1/2 yes, C 1/2 yes; user 1: {2, 3} -> A, B, C all 1/2; user 2: {3} -> C only
  const h = CsrMatrix.fromTriplets(3, 4, [0, 0, 1, 1, 2], [0, 3, 2, 3, 3]);
  const { labels, dropped } = userFactorsFromItems(h, items);
  // C: all 3 users have it -> rate 1 -> dropped; A (2/3), B (1/3) kept
  assert.deepEqual(labels.names, ['A', 'B']);
  assert.deepEqual([...labels.data], [1, 0, 1, 1, 0, 0]);
  assert.equal(dropped.length, 1);
  assert.equal(dropped[0].name, 'C');
  assert.equal(dropped[0].positiveRate, 1);
});

test('tag clusters recover planted tag groups and label their items', () => {
  // 3 groups of 4 tags; items 0-9 carry group 0's tags, 10-19 group 1, 20-29 group 2 (relevance ~0.8, else ~0.1)
  const T = 12;
  const I = 30;
  const relevance = new Float32Array(I * T);
  for (let i = 0; i < I; i++)
    for (let t = 0; t < T; t++)
      relevance[i * T + t] = Math.floor(t / 4) === Math.floor(i / 10) ? 0.8 + 0.01 * (t % 3) : 0.1 + 0.01 * (i % 4);
  const tags = Array.from({ length: T }, (_, t) => `tag${t}`);
  const f = tagClusterFactors({ tags, items: I, relevance }, { clusters: 3, topTags: 12, seed: 1 });
  assert.equal(f.names.length, 3);
  const groups = f.clusterTags.map((g) => g.map((t) => Math.floor(Number(t.slice(3)) / 4)));
  for (const g of groups) assert.equal(new Set(g).size, 1, `a cluster mixes planted groups: ${g}`);
  for (let c = 0; c < 3; c++) {
    const group = groups[c][0];
    for (let i = 0; i < I; i++) assert.equal(f.labels[i * 3 + c], Math.floor(i / 10) === group ? 1 : 0);
  }
});

test('tag genome: read for the split items; a malformed line names file and line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'untangle-genome-'));
  writeFileSync(join(dir, 'genome-tags.csv'), 'tagId,tag\n1,dark\n2,"funny, light"\n');
  writeFileSync(
    join(dir, 'genome-scores.csv'),
    'movieId,tagId,relevance\n10,1,0.9\n10,2,0.1\n20,1,0.2\n20,2,0.7\n30,1,0.5\n',
  );
  const rel = readTagGenome(
    dir,
    new Map([
      ['20', 0],
      ['10', 1],
    ]),
  );
  assert.deepEqual(rel.tags, ['dark', 'funny, light']);
  assert.deepEqual(
    [...rel.relevance].map((v) => Math.round(v * 10) / 10),
    [0.2, 0.7, 0.9, 0.1],
  );
  writeFileSync(join(dir, 'genome-scores.csv'), 'movieId,tagId,relevance\n10,1,0.9\n10,2,high\n');
  assert.throws(
    () => readTagGenome(dir, new Map([['10', 0]])),
    (e: unknown) => e instanceof DataFormatError && /genome-scores\.csv:3: relevance "high"/.test(e.message),
  );
});

test('synthetic ground truth: user labels are the planted favourite levels; histories cover every positive', () => {
  const ds = generateSynthetic({ size: 'tiny', seed: 4 });
  const data = preprocess(ds);
  const split = makeSplit(data, { type: 'strong', validationUsers: 0.1, testUsers: 0.1, seed: 1 });
  const { users, history } = splitHistories(split);
  const truth = groundTruth('synthetic', ds, split, users, history);
  assert.ok(truth.users.names.includes('genre=Action'));
  assert.equal(truth.users.rows, users.length);
  const K = ds.factors!.itemLevelCounts[0];
  const col = truth.users.names.indexOf('genre=Action');
  for (let r = 0; r < users.length; r++) {
    const raw = ds.ratings.userIds.indexOf(split.userIds[users[r]]);
    const pref = ds.factors!.userPreferences[0].subarray(raw * K, raw * K + K);
    const top = pref.indexOf(Math.max(...pref));
    assert.equal(truth.users.data[r * truth.users.cols + col], top === 0 ? 1 : 0);
  }
  // every positive of a split item is in some user's history
  const splitItems = new Set(split.itemSource);
  let expected = 0;
  for (let u = 0; u < data.matrix.rows; u++)
    for (let p = data.matrix.indptr[u]; p < data.matrix.indptr[u + 1]; p++)
      if (splitItems.has(data.matrix.indices[p])) expected++;
  assert.equal(history.nnz, expected);
  // genres give one factor per genre at item level (each synthetic item has one genre)
  const genres = groundTruth('genres', ds, split, users, history);
  for (let i = 0; i < genres.items.items; i++) {
    let s = 0;
    for (let f = 0; f < genres.items.names.length; f++) s += genres.items.labels[i * genres.items.names.length + f];
    assert.equal(s, 1);
  }
});

test('z-score: mean 0, population sd 1, constant columns 0', () => {
  const z = zScore(matrix(4, 2, Float64Array.from([1, 5, 2, 5, 3, 5, 4, 5])));
  const col0 = [0, 2, 4, 6].map((k) => z.data[k]);
  assert.ok(Math.abs(col0.reduce((a, b) => a + b, 0)) < 1e-12);
  assert.ok(Math.abs(col0.reduce((a, b) => a + b * b, 0) / 4 - 1) < 1e-12);
  assert.deepEqual(
    [1, 3, 5, 7].map((k) => z.data[k]),
    [0, 0, 0, 0],
  );
});
