// The evaluator against ../shared/reference/ranking_metrics.json (NumPy), to 1e-6, under every provider.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { EvalSet } from '../../src/data/split/protocols.js';
import { CsrMatrix } from '../../src/engine/index.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { parseMetric } from '../../src/eval/metrics.js';
import { providers } from '../helpers/providers.js';
import { reference, skipNoShared } from '../helpers/shared.js';

interface Ref {
  n_users: number;
  n_items: number;
  scores: number[][];
  foldin: number[][];
  heldout: number[][];
  at: Record<
    string,
    {
      ndcg: number[];
      recall: number[];
      mrr: number[];
      coverage: number;
      mean: Record<string, number>;
      se: Record<string, number>;
    }
  >;
}

function csrOf(lists: number[][], cols: number): CsrMatrix {
  const r = lists.flatMap((l, u) => l.map(() => u));
  return CsrMatrix.fromTriplets(lists.length, cols, r, lists.flat());
}

describe('ranking metrics vs NumPy reference', { skip: skipNoShared }, () => {
  for (const { name, kernels } of providers()) {
    test(name, () => {
      const ref = reference<Ref>('ranking_metrics.json');
      const set: EvalSet = {
        users: Int32Array.from({ length: ref.n_users }, (_, u) => u),
        foldIn: csrOf(ref.foldin, ref.n_items),
        heldOut: csrOf(ref.heldout, ref.n_items),
      };
      const scores = Float32Array.from(ref.scores.flat());
      for (const [k, want] of Object.entries(ref.at)) {
        const metrics = ['ndcg', 'recall', 'mrr', 'coverage'].map((m) => parseMetric(`${m}@${k}`));
        // score in batches of 7 users so batching is exercised too
        const n = ref.n_items;
        const oracle = (_f: CsrMatrix, rows: Int32Array) => {
          const out = new Float32Array(rows.length * n);
          rows.forEach((u, q) => out.set(scores.subarray(u * n, (u + 1) * n), q * n));
          return out;
        };
        const r = evaluate(kernels, oracle, set, { metrics, batchSize: 7 });
        assert.equal(r.users, ref.n_users);
        for (const m of ['ndcg', 'recall', 'mrr'] as const) {
          const got = r.perUser[`${m}@${k}`];
          want[m].forEach((v, u) => assert.ok(Math.abs(got[u] - v) < 1e-6, `${m}@${k} user ${u}: ${got[u]} vs ${v}`));
          assert.ok(Math.abs(r.metrics[`${m}@${k}`].mean - want.mean[m]) < 1e-6, `${m}@${k} mean`);
          if (want.se[m] !== undefined)
            assert.ok(Math.abs(r.metrics[`${m}@${k}`].se - want.se[m]) < 1e-6, `${m}@${k} se`);
        }
        assert.ok(Math.abs(r.metrics[`coverage@${k}`].mean - want.coverage) < 1e-9, `coverage@${k}`);
      }
    });
  }
});
