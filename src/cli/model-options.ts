import { join } from 'node:path';

import type { Command } from 'commander';

import type { Split } from '../data/split/protocols.js';
import { loadSplit, saveSplit } from '../data/split/io.js';
import { makeSplit } from '../data/split/protocols.js';
import { ConfigError } from '../errors.js';
import { type MetricSpec, parseMetric } from '../eval/metrics.js';
import {
  type DataOptions,
  type SplitOptions,
  datasetFromOptions,
  interactionsFromOptions,
  parseJsonOption,
  splitConfigFromOptions,
} from './data-options.js';
import type { Output } from './output.js';

/** Parses repeated `--set key=value` into an object (numbers, and JSON for booleans, null, arrays and objects). */
export function collectSet(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new ConfigError(`--set expects key=value, got "${value}"`);
  const key = value.slice(0, eq);
  const raw = value.slice(eq + 1);
  let typed: unknown = raw;
  if (raw === 'true' || raw === 'false' || raw === 'null' || /^[[{"]/.test(raw)) {
    try {
      typed = JSON.parse(raw); // booleans, null, arrays such as [600], objects, quoted strings
    } catch {
      throw new ConfigError(`--set ${key}: "${raw}" is not valid JSON`);
    }
  } else if (raw !== '' && Number.isFinite(Number(raw))) {
    typed = Number(raw);
  }
  return { ...previous, [key]: typed };
}

/** The model config from --config (JSON or file) overlaid with --set pairs. */
export function modelConfig(opts: { config?: string; set?: Record<string, unknown> }): Record<string, unknown> {
  const base = opts.config ? parseJsonOption('--config', opts.config) : {};
  if (typeof base !== 'object' || base === null || Array.isArray(base))
    throw new ConfigError('--config must be a JSON object');
  return { ...(base as Record<string, unknown>), ...(opts.set ?? {}) };
}

export function parseMetrics(list: string): MetricSpec[] {
  return list.split(',').map((s) => parseMetric(s));
}

export const DEFAULT_METRICS = 'ndcg@100,recall@20,recall@50,mrr@100,precision@20,coverage@100';

export function addMetricsOption(cmd: Command): Command {
  return cmd.option('--metrics <list>', 'metrics to report, comma-separated', DEFAULT_METRICS);
}

/** A split from --split DIR, or made from the dataset options and saved beside `outBase` (so it has a hash). */
export async function splitFromOptions(
  opts: DataOptions & SplitOptions & { split?: string; dataset?: string },
  out: Output,
  outBase: string,
): Promise<{ split: Split; hash: string; dir: string }> {
  if (opts.split) {
    const { split, manifest } = loadSplit(opts.split);
    return { split, hash: manifest.hash, dir: opts.split };
  }
  const name = opts.dataset ?? 'synthetic';
  const ds = await datasetFromOptions(name, opts, out);
  const split = makeSplit(interactionsFromOptions(ds, opts), splitConfigFromOptions(opts));
  const dir = `${outBase}.split`;
  const manifest = saveSplit(split, dir);
  out.note(`split saved to ${dir} (reuse it with --split ${dir})`);
  return { split, hash: manifest.hash, dir };
}

/** Default output path results/<dataset>-<model>-s<seed>.utm, relative to the working directory. */
export function defaultModelPath(dataset: string, model: string, seed: number): string {
  return join('results', `${dataset}-${model}-s${seed}.utm`);
}

export function resultsPathFor(modelPath: string): string {
  return modelPath.replace(/\.utm$/, '') + '.results.json';
}
