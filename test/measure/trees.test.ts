// CART trees: planted rules, sklearn's growth limits and importances, and exact agreement with an exhaustive splitter.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/engine/index.js';
import { matrix } from '../../src/measure/matrix.js';
import type { Matrix } from '../../src/measure/matrix.js';
import { treeImportances } from '../../src/measure/learners/tree-ops.js';
import { presort, TreeBuilder } from '../../src/measure/learners/tree.js';
import type { TreeParams } from '../../src/measure/learners/tree.js';
import type { Tree } from '../../src/measure/learners/types.js';

const params = (over: Partial<TreeParams> = {}): TreeParams => ({
  maxDepth: 3,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  criterion: 'squared_error',
  maxFeatures: null,
  ...over,
});

const uniformMatrix = (rng: Rng, rows: number, cols: number): Matrix =>
  matrix(
    rows,
    cols,
    Float64Array.from({ length: rows * cols }, () => rng.uniform()),
  );

const fit = (x: Matrix, y: ArrayLike<number>, p: TreeParams, w: Float64Array | null = null): Tree =>
  new TreeBuilder(presort(x)).build(Float64Array.from(y), w, p);

test('a depth-1 tree recovers a planted threshold rule exactly', () => {
  const x = uniformMatrix(Rng.seeded(1), 400, 5);
  const y = Array.from({ length: 400 }, (_, i) => (x.data[i * 5 + 3] > 0.37 ? 1 : 0));
  const t = fit(x, y, params({ maxDepth: 1, criterion: 'gini' }));
  assert.equal(t.nodeCount, 3);
  assert.equal(t.feature[0], 3);
  // The threshold is the midpoint of the two training values either side of 0.37.
  const col = Array.from({ length: 400 }, (_, i) => x.data[i * 5 + 3]);
  const below = Math.max(...col.filter((v) => v <= 0.37));
  const above = Math.min(...col.filter((v) => v > 0.37));
  assert.equal(t.threshold[0], below / 2 + above / 2);
  assert.deepEqual([t.value[t.left[0]], t.value[t.right[0]]], [0, 1]);
  assert.equal(t.impurity[t.left[0]], 0); // pure leaves
  assert.equal(t.cover[0], 400);
});

test('minSamplesLeaf and minSamplesSplit are respected', () => {
  const rng = Rng.seeded(2);
  const x = uniformMatrix(rng, 120, 3);
  const y = Array.from({ length: 120 }, () => rng.normal());
  for (const msl of [1, 7, 20]) {
    const t = fit(x, y, params({ maxDepth: null, minSamplesLeaf: msl }));
    for (let id = 0; id < t.nodeCount; id++)
      if (t.left[id] < 0) assert.ok(t.cover[id] >= msl, `leaf of ${t.cover[id]}`);
  }
  const t = fit(x, y, params({ maxDepth: null, minSamplesSplit: 30 }));
  for (let id = 0; id < t.nodeCount; id++) if (t.left[id] >= 0) assert.ok(t.cover[id] >= 30);
});

test('importances of a tree where only feature 2 matters are one-hot on feature 2', () => {
  const x = uniformMatrix(Rng.seeded(3), 300, 4);
  const y = Array.from({ length: 300 }, (_, i) => Math.floor(x.data[i * 4 + 2] * 4));
  const t = fit(x, y, params({ maxDepth: 2 }));
  assert.deepEqual(Array.from(treeImportances(t, 4, true)), [0, 0, 1, 0]);
  // Unnormalised: total variance removed, per root row (y takes 0..3 evenly: variance about 1.25).
  const raw = treeImportances(t, 4, false);
  assert.ok(Math.abs(raw[2] - t.impurity[0]) < 1e-12);
});

/**
 * sklearn's exhaustive best splitter, written plainly: float32 values, every feature in index order, every position
 * between two values more than 1e-7 apart, keeping the first strictly largest Friedman proxy. Pre-order tree.
 */
function referenceTree(x: Matrix, y: Float64Array, w: Float64Array, p: TreeParams): Tree {
  const val = (i: number, f: number) => Math.fround(x.data[i * x.cols + f]); // sklearn trees see float32
  const nodes: { feature: number; threshold: number; left: number; right: number; value: number; cover: number }[] = [];
  const grow = (rows: number[], depth: number): number => {
    const id = nodes.length;
    let sw = 0;
    let s = 0;
    let q = 0;
    for (const i of rows) {
      sw += w[i];
      s += w[i] * y[i];
      q += w[i] * y[i] * y[i];
    }
    nodes.push({ feature: -1, threshold: 0, left: -1, right: -1, value: s / sw, cover: sw });
    const imp = q / sw - (s / sw) ** 2;
    const m = rows.length;
    if (
      depth >= (p.maxDepth ?? Infinity) ||
      m < p.minSamplesSplit ||
      m < 2 * p.minSamplesLeaf ||
      imp <= 2.220446049250313e-16
    )
      return id;
    let best = -Infinity;
    let bestF = -1;
    let thr = 0;
    for (let f = 0; f < x.cols; f++) {
      const sorted = [...rows].sort((a, b) => val(a, f) - val(b, f));
      let wl = 0;
      let sl = 0;
      for (let k = 1; k < m; k++) {
        const i = sorted[k - 1];
        wl += w[i];
        sl += w[i] * y[i];
        const lo = val(i, f);
        const hi = val(sorted[k], f);
        if (!(hi > lo + 1e-7) || k < p.minSamplesLeaf || m - k < p.minSamplesLeaf) continue;
        const wr = sw - wl;
        const d = wr * sl - wl * (s - sl);
        const proxy = (d * d) / (wl * wr);
        if (proxy > best) {
          best = proxy;
          bestF = f;
          thr = lo / 2 + hi / 2 === hi ? lo : lo / 2 + hi / 2;
        }
      }
    }
    if (bestF < 0) return id;
    nodes[id].feature = bestF;
    nodes[id].threshold = thr;
    nodes[id].left = grow(
      rows.filter((i) => val(i, bestF) <= thr),
      depth + 1,
    );
    nodes[id].right = grow(
      rows.filter((i) => val(i, bestF) > thr),
      depth + 1,
    );
    return id;
  };
  grow(
    Array.from({ length: x.rows }, (_, i) => i).filter((i) => w[i] > 0),
    0,
  );
  return {
    nodeCount: nodes.length,
    feature: Int32Array.from(nodes, (n) => n.feature),
    threshold: Float64Array.from(nodes, (n) => n.threshold),
    left: Int32Array.from(nodes, (n) => n.left),
    right: Int32Array.from(nodes, (n) => n.right),
    value: Float64Array.from(nodes, (n) => n.value),
    cover: Float64Array.from(nodes, (n) => n.cover),
    impurity: new Float64Array(nodes.length),
  };
}

test('the histogram-bounded splitter finds exactly the splits of an exhaustive scan', () => {
  const rng = Rng.seeded(4);
  // Continuous columns (many rows per bin), a few-valued column, and a column with near-ties closer than 1e-7.
  const n = 900;
  const x = matrix(n, 5);
  for (let i = 0; i < n; i++) {
    x.data[i * 5] = rng.normal();
    x.data[i * 5 + 1] = rng.int(6);
    x.data[i * 5 + 2] = rng.uniform();
    x.data[i * 5 + 3] = rng.int(300) * 4e-8; // runs of values 4e-8 apart: only some gaps exceed 1e-7 in a node
    x.data[i * 5 + 4] = rng.normal() * 1e3;
  }
  const targets: [string, Float64Array][] = [
    ['noise', Float64Array.from({ length: n }, () => rng.normal())],
    [
      'signal',
      Float64Array.from(
        { length: n },
        (_, i) => Math.sin(3 * x.data[i * 5]) + 0.3 * x.data[i * 5 + 1] + 0.2 * rng.normal(),
      ),
    ],
    ['binary', Float64Array.from({ length: n }, (_, i) => (x.data[i * 5 + 2] + 0.3 * rng.normal() > 0.5 ? 1 : 0))],
  ];
  const ones = new Float64Array(n).fill(1);
  const bootstrap = new Float64Array(n);
  for (let k = 0; k < n; k++) bootstrap[rng.int(n)] += 1;
  const builder = new TreeBuilder(presort(x));
  for (const [name, y] of targets) {
    for (const [wName, w] of [
      ['unit', null],
      ['bootstrap', bootstrap],
    ] as const) {
      for (const p of [params({ maxDepth: 4 }), params({ maxDepth: 6, minSamplesLeaf: 5, minSamplesSplit: 12 })]) {
        // Binary targets with integer weights keep every sum exact, so even exactly tied proxies must agree.
        if (name !== 'binary' && wName === 'bootstrap') continue;
        const got = builder.build(y, w, p);
        const want = referenceTree(x, y, w ?? ones, p);
        const label = `${name}/${wName}/depth ${p.maxDepth}`;
        assert.deepEqual(Array.from(got.feature), Array.from(want.feature), label);
        assert.deepEqual(Array.from(got.threshold), Array.from(want.threshold), label);
        assert.deepEqual(Array.from(got.left), Array.from(want.left), label);
        assert.deepEqual(Array.from(got.cover), Array.from(want.cover), label);
        for (let id = 0; id < got.nodeCount; id++) assert.ok(Math.abs(got.value[id] - want.value[id]) < 1e-9, label);
      }
    }
  }
});

test('leafOf maps each training row to the leaf it falls in, rows of weight 0 to -1', () => {
  const rng = Rng.seeded(5);
  const x = uniformMatrix(rng, 200, 3);
  const y = Float64Array.from({ length: 200 }, () => rng.normal());
  const w = Float64Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0 : 1));
  const builder = new TreeBuilder(presort(x));
  const t = builder.build(y, w, params());
  for (let i = 0; i < 200; i++) {
    if (w[i] === 0) {
      assert.equal(builder.leafOf[i], -1);
      continue;
    }
    let node = 0;
    while (t.left[node] >= 0)
      node = x.data[i * 3 + t.feature[node]] <= t.threshold[node] ? t.left[node] : t.right[node];
    assert.equal(builder.leafOf[i], node); // uniform() values are float32-exact
  }
  assert.equal(
    t.cover[0],
    w.reduce((a, b) => a + b, 0),
  );
});
