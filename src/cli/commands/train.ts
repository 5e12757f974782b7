import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import type { Command } from 'commander';

import { describeProtocol } from '../../data/split/io.js';
import { selectKernels } from '../../engine/kernels/select.js';
import { Rng } from '../../engine/rng.js';
import { evaluate } from '../../eval/evaluate.js';
import { type ResultRecord, metricRows, writeResult } from '../../eval/results.js';
import { MODEL_NAMES, createModel, saveModel } from '../../models/registry.js';
import type { TrainSummary } from '../../train/trainer.js';
import { codeVersion } from '../../version.js';
import { ConfigError } from '../../errors.js';
import {
  type DataOptions,
  type SplitOptions,
  DATASET_NAMES,
  addDataOptions,
  addSplitOptions,
} from '../data-options.js';
import {
  addMetricsOption,
  collectSet,
  defaultModelPath,
  modelConfig,
  parseMetrics,
  resultsPathFor,
  splitFromOptions,
} from '../model-options.js';
import { keyValues, makeOutput } from '../output.js';
import { parseInteger } from '../parse.js';

interface TrainOptions extends DataOptions, SplitOptions {
  model: string;
  dataset?: string;
  split?: string;
  config?: string;
  set?: Record<string, unknown>;
  fit: string;
  metrics: string;
  out?: string;
  json?: boolean;
}

export function registerTrain(program: Command): void {
  addMetricsOption(
    addSplitOptions(
      addDataOptions(
        program
          .command('train')
          .description('fit a model on a split, evaluate it, save the model file and a results JSON')
          .requiredOption('--model <name>', `model: ${MODEL_NAMES.join(', ')}`)
          .option('--dataset <name>', `dataset when no --split is given: ${DATASET_NAMES.join(', ')}`)
          .option(
            '--split <dir>',
            'a split saved by `untangle data split` (else one is made and saved beside the model)',
          )
          .option('--config <json|file>', 'model options as JSON (or a JSON file)')
          .option('--set <key=value>', 'one model option (repeatable), e.g. --set lambda=200', collectSet)
          .option(
            '--fit <validation|test>',
            'fit for model selection (evaluated on validation) or the final fit (evaluated on test)',
            'validation',
          )
          .option('--out <file>', 'model file to write (default results/<dataset>-<model>-s<seed>.utm)')
          .option('--json', 'print machine-readable JSON on stdout'),
      ),
    ),
  ).action(async (opts: TrainOptions) => {
    const out = makeOutput(Boolean(opts.json));
    if (opts.fit !== 'validation' && opts.fit !== 'test')
      throw new ConfigError(`--fit ${opts.fit}; valid: validation, test`);
    const fitOn = opts.fit;
    const seed = parseInteger('--seed', opts.seed, 0);
    const config = modelConfig(opts);
    createModel(opts.model, config, 1); // validate the name and options before any data work
    const metrics = parseMetrics(opts.metrics);
    const modelPath =
      opts.out ?? defaultModelPath(opts.split ? 'split' : (opts.dataset ?? 'synthetic'), opts.model, seed);
    mkdirSync(dirname(modelPath) || '.', { recursive: true });
    const { split, hash, dir } = await splitFromOptions(opts, out, modelPath.replace(/\.utm$/, ''));
    const { kernels } = selectKernels();
    const model = createModel(opts.model, config, split.itemIds.length);
    const fitData = fitOn === 'validation' ? split.fitValidation.matrix : split.fitTest.matrix;
    out.note(`fitting ${opts.model} on ${fitData.rows} users x ${fitData.cols} items (${fitData.nnz} interactions)`);
    const t0 = performance.now();
    // early stopping may use the validation users unless they are part of the fitting data (weak protocol, final fit)
    const validation = fitOn === 'validation' || split.config.type === 'strong' ? split.validation : undefined;
    const checkpoint = `${modelPath.replace(/\.utm$/, '')}.ckpt`;
    model.fit(fitData, {
      kernels,
      rng: Rng.seeded(seed).derive('model', opts.model),
      validation,
      checkpoint,
      runKey: JSON.stringify({ model: opts.model, config: model.config, split: hash, seed, fitOn }),
      onEvent: (e) =>
        out.note(
          e.kind === 'stage'
            ? `  ${e.stage}${e.detail ? `: ${e.detail}` : ''}`
            : `  epoch ${e.epoch}/${e.epochs}  loss ${e.loss.toFixed(3)}` +
                (e.metrics
                  ? `  ${Object.entries(e.metrics)
                      .map(([k, v]) => `${k} ${v.toFixed(4)}`)
                      .join(' ')}`
                  : '') +
                `  (${e.seconds.toFixed(2)} s)`,
        ),
    });
    const summary = 'summary' in model ? (model as { summary: TrainSummary | null }).summary : null;
    const fitSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const set = fitOn === 'validation' ? split.validation : split.test;
    const result = evaluate(kernels, (h) => model.score(h, kernels), set, { metrics });
    const record: ResultRecord = {
      kind: 'train',
      model: { name: opts.model, config: model.config, file: modelPath },
      dataset: split.dataset,
      protocol: { description: describeProtocol(split, hash), config: split.config },
      split: { hash, dir },
      seed,
      fitOn,
      evaluatedOn: fitOn,
      users: result.users,
      metrics: result.metrics,
      seconds: { fit: fitSeconds, evaluate: (performance.now() - t1) / 1000 },
      ...(summary
        ? {
            training: {
              epochsRun: summary.epochsRun,
              bestEpoch: summary.bestEpoch === null ? null : summary.bestEpoch + 1,
              bestValidationNdcg100: summary.bestMetric,
              resumedFrom: summary.resumedFrom,
            },
          }
        : {}),
      kernels: { provider: kernels.provider, threads: kernels.threads },
      codeVersion: codeVersion(),
      created: new Date().toISOString(),
    };
    saveModel(modelPath, model, { ...record, metrics: result.metrics });
    const resultsPath = resultsPathFor(modelPath);
    writeResult(resultsPath, record);
    out.result(record, () =>
      keyValues([
        ['model', `${opts.model} ${JSON.stringify(model.config)}`],
        ['protocol', record.protocol.description],
        [
          'fit',
          `${fitSeconds.toFixed(2)} s on the ${fitOn === 'validation' ? 'training' : 'final training'} matrix (seed ${seed})`,
        ],
        ...(record.training
          ? [
              [
                'training',
                `${record.training.epochsRun} epochs, best validation NDCG@100 ` +
                  `${record.training.bestValidationNdcg100?.toFixed(4) ?? '-'} at epoch ${record.training.bestEpoch ?? '-'}` +
                  (record.training.resumedFrom !== null ? ` (resumed at epoch ${record.training.resumedFrom})` : ''),
              ] as [string, string],
            ]
          : []),
        ['evaluated', `${fitOn} users: ${result.users}`],
        ...metricRows(result),
        ['saved', `${modelPath}, ${resultsPath}`],
      ]),
    );
  });
}
