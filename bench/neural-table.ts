// Accuracy of the neural models under the protocol of ../shared/peers/reference-accuracy.md: strong generalisation
// (ratings > 3.5, users >= 5 items, 10% / 10% held-out users), Adam, validation NDCG@100 every epoch, test at the best
// validation epoch. Each model runs with untangle's documented defaults plus the overrides listed in SPECS.
// Usage: node dist/bench/neural-table.js --data-dir ../shared/data [--dataset ml-100k] [--seeds 3]
//        [--batch 100] [--epochs 200] [--patience 50] [--models multdae,multdae-nol2,multvae,macridvae]
// Prints one JSON line per (model, seed) and a markdown table.
import { parseArgs } from 'node:util';

import { type MovieLensVariant, loadMovieLens } from '../src/data/loaders/movielens.js';
import { preprocess } from '../src/data/preprocess.js';
import { describeProtocol } from '../src/data/split/io.js';
import { makeSplit } from '../src/data/split/protocols.js';
import { selectKernels } from '../src/engine/kernels/select.js';
import { Rng } from '../src/engine/rng.js';
import { evaluate } from '../src/eval/evaluate.js';
import { meanAndSe, parseMetric } from '../src/eval/metrics.js';
import type { NeuralNet, NeuralRecommender } from '../src/models/neural/recommender.js';
import { createModel } from '../src/models/registry.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: '../shared/data' },
    dataset: { type: 'string', default: 'ml-100k' },
    seeds: { type: 'string', default: '3' },
    batch: { type: 'string', default: '100' },
    epochs: { type: 'string', default: '200' },
    patience: { type: 'string', default: '50' },
    models: { type: 'string', default: 'multdae,multdae-nol2,multvae,betavae,macridvae,recvae' },
  },
});

/** Table row name -> registry model and overrides of its defaults. */
const SPECS: Record<string, [string, Record<string, unknown>]> = {
  multdae: ['multdae', {}],
  'multdae-nol2': ['multdae', { l2: 0 }],
  multvae: ['multvae', {}],
  betavae: ['betavae', {}],
  macridvae: ['macridvae', {}],
  recvae: ['recvae', {}],
  ae: ['ae', {}],
  bpr: ['bpr', {}],
};
const METRICS = ['ndcg@100', 'recall@20', 'recall@50'];
const metrics = METRICS.map(parseMetric);
const { kernels } = selectKernels();
const data = preprocess(loadMovieLens(values.dataset as MovieLensVariant, values['data-dir'] as string));
const common = { batchSize: Number(values.batch), epochs: Number(values.epochs), patience: Number(values.patience) };
const rows: Record<string, { test: Record<string, number[]>; best: number[]; seconds: number[]; epochs: number[] }> =
  {};
let protocol = '';

for (let seed = 1; seed <= Number(values.seeds); seed++) {
  const split = makeSplit(data, { type: 'strong', seed });
  protocol = describeProtocol(split);
  for (const row of (values.models as string).split(',')) {
    const [name, overrides] = SPECS[row];
    const t = performance.now();
    const model = createModel(name, { ...common, ...overrides }, split.itemIds.length) as NeuralRecommender<NeuralNet>;
    model.fit(split.fitValidation.matrix, {
      kernels,
      rng: Rng.seeded(seed).derive('model', name),
      validation: split.validation,
    });
    const seconds = (performance.now() - t) / 1000;
    const test = evaluate(kernels, (h) => model.score(h, kernels), split.test, { metrics }).metrics;
    const s = model.summary!;
    const r = (rows[row] ??= { test: {}, best: [], seconds: [], epochs: [] });
    for (const k of METRICS) (r.test[k] ??= []).push(test[k].mean);
    r.best.push((s.bestEpoch ?? 0) + 1);
    r.seconds.push(seconds);
    r.epochs.push(s.epochsRun);
    console.log(
      JSON.stringify({
        dataset: values.dataset,
        model: row,
        seed,
        config: model.config,
        bestEpoch: (s.bestEpoch ?? 0) + 1,
        epochsRun: s.epochsRun,
        seconds,
        validationNdcg100: s.bestMetric,
        test,
      }),
    );
  }
}
const lines = [
  `${protocol.replace(/, seed \d+/, `, seeds 1-${values.seeds}`)}; batch ${values.batch}, up to ${values.epochs} epochs, patience ${values.patience}`,
  '',
  `| model | ${METRICS.join(' | ')} | NDCG@100 per seed | best epochs | s per run |`,
  `|---|${METRICS.map(() => '---').join('|')}|---|---|---|`,
];
for (const [row, r] of Object.entries(rows)) {
  const cells = METRICS.map((k) => {
    const m = meanAndSe(r.test[k]);
    return `${m.mean.toFixed(3)} (sd ${(m.se * Math.sqrt(r.test[k].length)).toFixed(3)})`;
  });
  lines.push(
    `| ${row} | ${cells.join(' | ')} | ${r.test['ndcg@100'].map((v) => v.toFixed(3)).join(', ')} | ${r.best.join(', ')} | ${r.seconds.map((s) => s.toFixed(0)).join(', ')} |`,
  );
}
console.log(`\n${lines.join('\n')}`);
