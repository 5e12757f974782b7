// The baselines table of issue 3: TopPop, PureSVD, item-kNN and EASE on ML-100k and ML-1M under strong
// generalisation (ratings > 3.5, users >= 5 items, 10% / 10% held-out users), 5 split seeds, each model's setting
// chosen on validation NDCG@100 from a small grid, test NDCG@100 / Recall@20 / Recall@50 reported.
// Usage: node dist/bench/baselines-table.js --data-dir ../shared/data [--datasets ml-100k,ml-1m] [--seeds 5]
// Prints one JSON line per (dataset, model, seed) and a markdown table at the end.
import { parseArgs } from 'node:util';

import { loadMovieLens, type MovieLensVariant } from '../src/data/loaders/movielens.js';
import { preprocess } from '../src/data/preprocess.js';
import { describeProtocol } from '../src/data/split/io.js';
import { makeSplit } from '../src/data/split/protocols.js';
import { selectKernels } from '../src/engine/kernels/select.js';
import { Rng } from '../src/engine/rng.js';
import { evaluate } from '../src/eval/evaluate.js';
import { meanAndSe, parseMetric } from '../src/eval/metrics.js';
import { createModel } from '../src/models/registry.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: '../shared/data' },
    datasets: { type: 'string', default: 'ml-100k,ml-1m' },
    seeds: { type: 'string', default: '5' },
  },
});

const GRID: Record<string, Record<string, unknown>[]> = {
  toppop: [{}],
  puresvd: [10, 20, 50, 100, 200].map((factors) => ({ factors })),
  itemknn: [5, 10, 20, 50, 100, 200].map((neighbors) => ({ neighbors })),
  ease: [50, 100, 200, 500, 1000, 2000].map((lambda) => ({ lambda })),
};
const METRICS = ['ndcg@100', 'recall@20', 'recall@50'];
const metrics = METRICS.map(parseMetric);
const { kernels } = selectKernels();
const rows: string[] = [];

for (const dataset of (values.datasets as string).split(',') as MovieLensVariant[]) {
  const data = preprocess(loadMovieLens(dataset, values['data-dir'] as string));
  const perModel: Record<string, { test: Record<string, number[]>; se: Record<string, number[]>; chosen: string[] }> =
    {};
  let protocol = '';
  for (let seed = 1; seed <= Number(values.seeds); seed++) {
    const split = makeSplit(data, { type: 'strong', seed });
    protocol = describeProtocol(split);
    for (const [name, grid] of Object.entries(GRID)) {
      let best: { config: Record<string, unknown>; val: number; model: ReturnType<typeof createModel> } | null = null;
      for (const config of grid) {
        const model = createModel(name, config, split.itemIds.length);
        model.fit(split.fitValidation.matrix, { kernels, rng: Rng.seeded(seed).derive('model', name) });
        const val = evaluate(kernels, (h) => model.score(h, kernels), split.validation, { metrics: [metrics[0]] })
          .metrics['ndcg@100'].mean;
        if (!best || val > best.val) best = { config, val, model };
      }
      const chosen = best!;
      const test = evaluate(kernels, (h) => chosen.model.score(h, kernels), split.test, { metrics }).metrics;
      const pm = (perModel[name] ??= { test: {}, se: {}, chosen: [] });
      pm.chosen.push(JSON.stringify(chosen.config));
      for (const k of METRICS) {
        (pm.test[k] ??= []).push(test[k].mean);
        (pm.se[k] ??= []).push(test[k].se);
      }
      console.log(
        JSON.stringify({ dataset, model: name, seed, config: chosen.config, validationNdcg100: chosen.val, test }),
      );
    }
  }
  rows.push(`\n${protocol.replace(/, seed \d+/, ', seeds 1-' + values.seeds)}\n`);
  rows.push(`| model | ${METRICS.join(' | ')} | chosen on validation |`);
  rows.push(`|---|${METRICS.map(() => '---').join('|')}|---|`);
  for (const [name, pm] of Object.entries(perModel)) {
    const cells = METRICS.map((k) => {
      const across = meanAndSe(pm.test[k]);
      const withinSe = pm.se[k].reduce((a, b) => a + b, 0) / pm.se[k].length;
      return `${across.mean.toFixed(3)} ± ${withinSe.toFixed(3)} (sd ${(across.se * Math.sqrt(pm.test[k].length)).toFixed(3)})`;
    });
    rows.push(`| ${name} | ${cells.join(' | ')} | ${[...new Set(pm.chosen)].join(', ')} |`);
  }
}
console.log(`\nmean over seeds ± mean per-seed standard error (sd across seeds)${rows.join('\n')}`);
