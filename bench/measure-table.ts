// Disentanglement and interpretability of trained models on MovieLens with genre factors, over seeds: the table of
// issue 5 next to Dervishaj et al.'s ML-1M values. Each (model, seed) trains with untangle's defaults on split seed s
// (strong generalisation, as bench/neural-table.ts), is measured with `measureModel`, and appends one JSON line to
// --out; a re-run skips the (model, seed) pairs already there, so an interrupted run resumes.
// Usage: node dist/bench/measure-table.js --data-dir ../shared/data [--dataset ml-100k] [--seeds 5]
//        [--models puresvd,multdae,multvae,betavae,macridvae] [--epochs 200] [--patience 20] [--batch 100]
//        [--out results/measure-ml-100k.jsonl]
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';

import { type MovieLensVariant, loadMovieLens } from '../src/data/loaders/movielens.js';
import { preprocess } from '../src/data/preprocess.js';
import { splitHash } from '../src/data/split/io.js';
import { makeSplit } from '../src/data/split/protocols.js';
import { selectKernels } from '../src/engine/kernels/select.js';
import { Rng } from '../src/engine/rng.js';
import { evaluate } from '../src/eval/evaluate.js';
import { parseMetric } from '../src/eval/metrics.js';
import { measureModel } from '../src/measure/measure-model.js';
import { createModel } from '../src/models/registry.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: '../shared/data' },
    dataset: { type: 'string', default: 'ml-100k' },
    seeds: { type: 'string', default: '5' },
    models: { type: 'string', default: 'puresvd,multdae,multvae,betavae,macridvae' },
    epochs: { type: 'string', default: '200' },
    patience: { type: 'string', default: '20' },
    batch: { type: 'string', default: '100' },
    'lime-users': { type: 'string', default: '300' },
    out: { type: 'string' },
  },
});
const dataset = values.dataset as MovieLensVariant;
const out = values.out ?? `results/measure-${dataset}.jsonl`;
mkdirSync(dirname(out), { recursive: true });
const done = new Set(
  existsSync(out)
    ? readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { model: string; seed: number })
        .map((r) => `${r.model}/${r.seed}`)
    : [],
);
/** Settings per model: PureSVD's rank as chosen on validation in the baselines table; the rest are defaults. */
const SPECS: Record<string, Record<string, unknown>> = {
  puresvd: { factors: dataset === 'ml-1m' ? 50 : 20 },
  multdae: {},
  multvae: {},
  betavae: {},
  macridvae: {},
  recvae: {},
};
const neural = { epochs: Number(values.epochs), patience: Number(values.patience), batchSize: Number(values.batch) };
const { kernels } = selectKernels();
const ds = loadMovieLens(dataset, values['data-dir'] as string);
const data = preprocess(ds);
const ndcg = parseMetric('ndcg@100');

for (let seed = 1; seed <= Number(values.seeds); seed++) {
  const split = makeSplit(data, { type: 'strong', seed });
  const hash = splitHash(split);
  for (const name of (values.models as string).split(',')) {
    if (done.has(`${name}/${seed}`)) continue;
    const t0 = performance.now();
    const model = createModel(name, { ...SPECS[name], ...(name === 'puresvd' ? {} : neural) }, split.itemIds.length);
    model.fit(split.fitValidation.matrix, {
      kernels,
      rng: Rng.seeded(seed).derive('model', name),
      validation: split.validation,
    });
    const trainSeconds = (performance.now() - t0) / 1000;
    const test = evaluate(kernels, (h) => model.score(h, kernels), split.test, { metrics: [ndcg] }).metrics;
    const record = measureModel(model, kernels, split, hash, ds, {
      factors: 'genres',
      seed,
      limeUsers: Number(values['lime-users']),
    });
    const line = {
      dataset,
      model: name,
      seed,
      ndcg100: test['ndcg@100'].mean,
      trainSeconds,
      measureSeconds: record.seconds.codes + record.seconds.factors + record.seconds.measures,
      scores: record.scores,
      factors: record.factors.names,
      users: record.details.users,
      stageSeconds: record.details.seconds,
      config: record.config,
      modelConfig: model.config,
      splitHash: hash,
      codeVersion: record.codeVersion,
    };
    appendFileSync(out, `${JSON.stringify(line)}\n`);
    console.log(
      JSON.stringify({
        model: name,
        seed,
        ndcg100: line.ndcg100,
        ...record.scores,
        measureSeconds: line.measureSeconds,
      }),
    );
  }
}

// summary: mean +- sd per model over the seeds in the file
const all = readFileSync(out, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map(
    (l) => JSON.parse(l) as { model: string; ndcg100: number; measureSeconds: number; scores: Record<string, number> },
  );
const KEYS = ['disentanglement', 'completeness', 'accuracyTest', 'mig', 'sap', 'lime', 'shap', 'uncorrelatedness'];
const fmt = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${m.toFixed(3)} ± ${sd.toFixed(3)}`;
};
console.log(`\n| model | seeds | NDCG@100 | D | C | I (accuracy) | MIG | SAP | LIME | SHAP | uncorr. | s to measure |`);
console.log(`|---|---|---|---|---|---|---|---|---|---|---|---|`);
for (const name of [...new Set(all.map((r) => r.model))]) {
  const rs = all.filter((r) => r.model === name);
  const cells = KEYS.map((k) => fmt(rs.map((r) => r.scores[k])));
  console.log(
    `| ${name} | ${rs.length} | ${fmt(rs.map((r) => r.ndcg100))} | ${cells.join(' | ')} | ${fmt(rs.map((r) => r.measureSeconds))} |`,
  );
}
