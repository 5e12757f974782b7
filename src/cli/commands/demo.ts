import type { Command } from 'commander';

import { generateSynthetic } from '../../data/loaders/synthetic.js';
import { preprocess } from '../../data/preprocess.js';
import { describeProtocol, splitHash } from '../../data/split/io.js';
import { makeSplit } from '../../data/split/protocols.js';
import { selectKernels } from '../../engine/kernels/select.js';
import { Rng } from '../../engine/rng.js';
import { type EvalResult, evaluate } from '../../eval/evaluate.js';
import { parseMetric } from '../../eval/metrics.js';
import { measureModel } from '../../measure/measure-model.js';
import { SCORE_LABELS } from '../../measure/record.js';
import type { Recommender } from '../../models/model.js';
import type { NeuralNet, NeuralRecommender } from '../../models/neural/recommender.js';
import { createModel } from '../../models/registry.js';
import { runDoctor } from '../../system/doctor.js';
import { formatVersion } from '../../version.js';
import { makeOutput } from '../output.js';
import { parseInteger } from '../parse.js';

const METRICS = ['ndcg@100', 'recall@20', 'recall@50'];

/** The baselines the demo trains, with settings that suit the small synthetic dataset. */
const BASELINES: [string, Record<string, unknown>][] = [
  ['toppop', {}],
  ['itemknn', { neighbors: 100 }],
  ['puresvd', { factors: 20 }],
  ['ease', { lambda: 100 }],
];

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'the main job on built-in synthetic data (no network): environment check, baselines and a Mult-VAE, evaluated, ' +
        'then their codes measured against the planted factors',
    )
    .option('--json', 'print machine-readable JSON on stdout')
    .option('--epochs <n>', 'Mult-VAE training epochs', '20')
    .option('--seed <n>', 'root random seed', '1')
    .action((opts: { json?: boolean; epochs: string; seed: string }) => {
      const out = makeOutput(Boolean(opts.json));
      const epochs = parseInteger('--epochs', opts.epochs, 1);
      const seed = parseInteger('--seed', opts.seed, 0);
      const doctor = runDoctor(0.3);
      out.note(
        `untangle ${formatVersion(doctor.untangle)} on Node ${doctor.node}: ${doctor.kernels.provider} kernels ` +
          `(${doctor.kernels.reason}), ${doctor.kernels.threads} thread(s), GEMM probe ${doctor.gemmProbe.gflops.toFixed(1)} GFLOPS`,
      );
      const { kernels } = selectKernels();
      const dataset = generateSynthetic({ size: 'small', seed });
      const data = preprocess(dataset);
      const split = makeSplit(data, { type: 'strong', seed });
      out.note(`data: ${describeProtocol(split)}`);
      const metrics = METRICS.map(parseMetric);
      const withCodes: [string, Recommender][] = [];
      const results: {
        model: string;
        config: Record<string, unknown>;
        seconds: number;
        test: EvalResult['metrics'];
      }[] = [];
      const report = (model: string, config: Record<string, unknown>, seconds: number, r: EvalResult) => {
        results.push({ model, config, seconds, test: r.metrics });
        const cells = METRICS.map((k) => `${r.metrics[k].mean.toFixed(3)} ± ${r.metrics[k].se.toFixed(3)}`);
        out.note(`  ${model.padEnd(8)} ${cells.map((c) => c.padEnd(15)).join(' ')} (${seconds.toFixed(2)} s)`);
      };
      out.note(
        `test users: ${split.test.users.length}; ${'model'.padEnd(8)} ${METRICS.map((m) => m.padEnd(15)).join(' ')}`,
      );
      for (const [name, config] of BASELINES) {
        const t = performance.now();
        const model = createModel(name, config, split.itemIds.length);
        model.fit(split.fitValidation.matrix, { kernels, rng: Rng.seeded(seed).derive('model', name) });
        const r = evaluate(kernels, (h) => model.score(h, kernels), split.test, { metrics });
        report(name, model.config, (performance.now() - t) / 1000, r);
        if (name === 'puresvd') withCodes.push([name, model]);
      }
      // Mult-VAE through the shared trainer: early stopping on the validation users, best weights restored
      const t = performance.now();
      const vae = createModel(
        'multvae',
        { hidden: [200], latent: 50, epochs, batchSize: 100, totalAnnealSteps: 2000 },
        split.itemIds.length,
      ) as NeuralRecommender<NeuralNet>;
      vae.fit(split.fitValidation.matrix, {
        kernels,
        rng: Rng.seeded(seed).derive('model', 'multvae'),
        validation: split.validation,
      });
      const r = evaluate(kernels, (h) => vae.score(h, kernels), split.test, { metrics });
      report('multvae', vae.config, (performance.now() - t) / 1000, r);
      const losses = vae.summary!.history.map(([, loss]) => loss);
      out.note(
        `  (Mult-VAE loss ${losses[0].toFixed(1)} -> ${losses[losses.length - 1].toFixed(1)} over ${losses.length} epochs, best validation epoch ${(vae.summary!.bestEpoch ?? 0) + 1})`,
      );
      withCodes.push(['multvae', vae]);

      // disentanglement and interpretability of the learned user codes against the planted factors
      const hash = splitHash(split);
      const measured = withCodes.map(([name, model]) => {
        const m = measureModel(model, kernels, split, hash, dataset, {
          factors: 'synthetic',
          seed,
          // a sample keeps the main job to seconds; `untangle measure` measures every user
          maxUsers: 1000,
          limeUsers: 100,
          shapUsers: 300,
        });
        return { model: name, scores: m.scores, factors: m.factors.names, seconds: m.seconds.measures };
      });
      const rows = SCORE_LABELS.filter(([k]) => measured[0].scores[k] !== undefined);
      out.note(`measured against ${measured[0].factors.length} planted factors (${measured[0].factors.join(', ')}):`);
      out.note(`  ${''.padEnd(38)} ${measured.map((m) => m.model.padStart(8)).join(' ')}`);
      for (const [k, label] of rows)
        out.note(`  ${label.padEnd(38)} ${measured.map((m) => m.scores[k]!.toFixed(3).padStart(8)).join(' ')}`);
      const best = results.reduce((a, b) => (b.test['ndcg@100'].mean > a.test['ndcg@100'].mean ? b : a));
      out.result(
        { doctor, protocol: describeProtocol(split), seed, results, multvaeLosses: losses, measured },
        () =>
          `done: best NDCG@100 ${best.test['ndcg@100'].mean.toFixed(3)} (${best.model}); TopPop ${results[0].test['ndcg@100'].mean.toFixed(3)}`,
      );
    });
}
