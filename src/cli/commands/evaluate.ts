import type { Command } from 'commander';

import { describeProtocol, loadSplit } from '../../data/split/io.js';
import { selectKernels } from '../../engine/kernels/select.js';
import { ConfigError } from '../../errors.js';
import { evaluate } from '../../eval/evaluate.js';
import { type ResultRecord, metricRows, writeResult } from '../../eval/results.js';
import { loadModel } from '../../models/registry.js';
import { codeVersion } from '../../version.js';
import { addMetricsOption, parseMetrics } from '../model-options.js';
import { keyValues, makeOutput } from '../output.js';

export function registerEvaluate(program: Command): void {
  addMetricsOption(
    program
      .command('evaluate')
      .description(
        "evaluate a saved model on a split's test (or validation) users; full ranking, fold-in items excluded",
      )
      .requiredOption('--model-file <file>', 'model file written by `untangle train`')
      .requiredOption('--split <dir>', 'split folder written by `untangle data split` or `untangle train`')
      .option('--phase <test|validation>', 'which held-out users to evaluate', 'test')
      .option('--results <file>', 'also write the result (with its manifest) to this JSON file')
      .option('--json', 'print machine-readable JSON on stdout'),
  ).action(
    (opts: { modelFile: string; split: string; phase: string; metrics: string; results?: string; json?: boolean }) => {
      const out = makeOutput(Boolean(opts.json));
      if (opts.phase !== 'test' && opts.phase !== 'validation')
        throw new ConfigError(`--phase ${opts.phase}; valid: test, validation`);
      const phase = opts.phase;
      const metrics = parseMetrics(opts.metrics);
      const { model, header } = loadModel(opts.modelFile);
      const { split, manifest } = loadSplit(opts.split);
      if (model.items !== split.itemIds.length) {
        throw new ConfigError(
          `${opts.modelFile} scores ${model.items} items but the split has ${split.itemIds.length}: it was trained on another split`,
        );
      }
      const trainedOn = (header.manifest.split as { hash?: string } | undefined)?.hash;
      if (trainedOn && trainedOn !== manifest.hash)
        out.note(
          `note: the model was trained on split ${trainedOn.slice(0, 12)}, evaluating on ${manifest.hash.slice(0, 12)}`,
        );
      const { kernels } = selectKernels();
      const t0 = performance.now();
      const result = evaluate(
        kernels,
        (h) => model.score(h, kernels),
        phase === 'test' ? split.test : split.validation,
        { metrics },
      );
      const record: ResultRecord = {
        kind: 'evaluate',
        model: { name: model.name, config: model.config, file: opts.modelFile },
        dataset: split.dataset,
        protocol: { description: describeProtocol(split, manifest.hash), config: split.config },
        split: { hash: manifest.hash, dir: opts.split },
        seed: Number(header.manifest.seed ?? split.config.seed),
        fitOn: (header.manifest.fitOn as 'validation' | 'test' | undefined) ?? 'validation',
        evaluatedOn: phase,
        users: result.users,
        metrics: result.metrics,
        seconds: { evaluate: (performance.now() - t0) / 1000 },
        kernels: { provider: kernels.provider, threads: kernels.threads },
        codeVersion: codeVersion(),
        created: new Date().toISOString(),
      };
      if (opts.results) writeResult(opts.results, record);
      out.result(record, () =>
        keyValues([
          ['model', `${model.name} ${JSON.stringify(model.config)} (${opts.modelFile})`],
          ['protocol', record.protocol.description],
          ['evaluated', `${phase} users: ${result.users}`],
          ...metricRows(result),
        ]),
      );
    },
  );
}
