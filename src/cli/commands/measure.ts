import type { Command } from 'commander';

import { loadSplit } from '../../data/split/io.js';
import { selectKernels } from '../../engine/kernels/select.js';
import { ConfigError } from '../../errors.js';
import { MEASURE_NAMES, type MeasureConfigInput } from '../../measure/config.js';
import { FACTOR_SOURCES } from '../../measure/factors/build.js';
import { measureModel } from '../../measure/measure-model.js';
import { scoreRows, writeMeasureRecord } from '../../measure/record.js';
import { loadModel } from '../../models/registry.js';
import { type DataOptions, addDataOptions, datasetFromOptions } from '../data-options.js';
import { collectSet } from '../model-options.js';
import { keyValues, makeOutput } from '../output.js';
import { parseInteger } from '../parse.js';

interface MeasureOptions extends DataOptions {
  modelFile: string;
  split?: string;
  dataset?: string;
  factors: string;
  code: string;
  measures: string;
  importance: string;
  gridSearch?: boolean;
  seed: string;
  set?: Record<string, unknown>;
  results?: string;
  json?: boolean;
}

export function registerMeasure(program: Command): void {
  addDataOptions(
    program
      .command('measure')
      .description(
        "disentanglement (DCI, MIG, SAP, modularity, explicitness, uncorrelatedness) and interpretability (LIME, SHAP) of a model's user codes against ground-truth factors",
      )
      .requiredOption('--model-file <file>', 'model file written by `untangle train`')
      .option('--split <dir>', 'the split the model was trained on (default: the one recorded in the model file)')
      .option('--dataset <name>', "the dataset, for item genres / tags / planted factors (default: the split's)")
      .option('--factors <source>', `ground truth: ${FACTOR_SOURCES.join(', ')}`, 'genres')
      .option(
        '--code <default|full|items>',
        "user code: the model's own, MacridVAE's full K x dfac facets, or item vectors vs item-level factors",
        'default',
      )
      .option('--measures <list>', `comma-separated: ${MEASURE_NAMES.join(', ')}`, MEASURE_NAMES.join(','))
      .option('--importance <gbt|forest|lasso>', 'classifier behind DCI, SHAP and LIME', 'gbt')
      .option('--grid-search', "the study's 2-fold grid search of the GBT settings per factor")
      .option('--seed <n>', 'seed of the hold-out, learners and LIME', '0')
      .option('--set <key=value>', 'any other measure option (repeatable), e.g. --set limeUsers=500', collectSet)
      .option('--results <file>', 'where to write the result JSON (default: beside the model file)')
      .option('--json', 'print machine-readable JSON on stdout'),
  ).action(async (opts: MeasureOptions) => {
    const out = makeOutput(Boolean(opts.json));
    const { model, header } = loadModel(opts.modelFile);
    const recorded = header.manifest.split as { hash?: string; dir?: string } | undefined;
    const splitDir = opts.split ?? recorded?.dir;
    if (!splitDir) throw new ConfigError(`${opts.modelFile} records no split folder; give --split <dir>`);
    const { split, manifest } = loadSplit(splitDir);
    if (model.items !== split.itemIds.length)
      throw new ConfigError(
        `${opts.modelFile} was trained on another split (${model.items} items, not ${split.itemIds.length})`,
      );
    const dataset = await datasetFromOptions(opts.dataset ?? split.dataset.name, opts, out);
    const input: MeasureConfigInput = {
      ...(opts.set ?? {}),
      factors: opts.factors as MeasureConfigInput['factors'],
      code: opts.code as MeasureConfigInput['code'],
      measures: opts.measures.split(',').map((s) => s.trim()) as MeasureConfigInput['measures'],
      importance: opts.importance as MeasureConfigInput['importance'],
      gridSearch: Boolean(opts.gridSearch),
      seed: parseInteger('--seed', opts.seed, 0),
    };
    const { kernels } = selectKernels();
    let last = '';
    const record = measureModel(model, kernels, split, manifest.hash, dataset, input, {
      modelFile: opts.modelFile,
      modelSeed: typeof header.manifest.seed === 'number' ? header.manifest.seed : undefined,
      splitDir,
      onEvent: (e) => {
        if (e.stage !== last) out.note(`  ${e.stage}...`);
        last = e.stage;
      },
    });
    const path = opts.results ?? opts.modelFile.replace(/\.utm$/, '') + '.measure.json';
    writeMeasureRecord(path, record);
    out.result(record, () =>
      keyValues([
        ['model', `${record.model.name} (${opts.modelFile})`],
        ['code', `${record.code.name}, ${record.code.dims} dims, z-scored`],
        ['factors', `${record.factors.names.length} (${record.factors.description})`],
        ...(record.factors.dropped.length
          ? [
              [
                'dropped',
                record.factors.dropped.map((d) => `${d.name} (${(100 * d.positiveRate).toFixed(2)}%)`).join(', '),
              ] as [string, string],
            ]
          : []),
        [
          record.config.code === 'items' ? 'items' : 'users',
          `${record.details.users.total} (${record.details.users.train} train / ${record.details.users.test} held out)`,
        ],
        ...scoreRows(record.scores),
        ['seconds', `${(record.seconds.codes + record.seconds.factors + record.seconds.measures).toFixed(1)}`],
        ['saved', path],
      ]),
    );
  });
}
