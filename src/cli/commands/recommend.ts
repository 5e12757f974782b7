import type { Command } from 'commander';

import { loadSplit } from '../../data/split/io.js';
import { CsrMatrix } from '../../engine/csr.js';
import { selectKernels } from '../../engine/kernels/select.js';
import { ConfigError } from '../../errors.js';
import { recommend } from '../../models/recommend.js';
import { loadModel } from '../../models/registry.js';
import { type DataOptions, addDataOptions, datasetFromOptions } from '../data-options.js';
import { makeOutput } from '../output.js';
import { parseInteger } from '../parse.js';

interface RecommendOptions extends DataOptions {
  modelFile: string;
  split: string;
  user?: string;
  items?: string;
  k: string;
  includeSeen?: boolean;
  dataset?: string;
  json?: boolean;
}

export function registerRecommend(program: Command): void {
  addDataOptions(
    program
      .command('recommend')
      .description('top-k recommendations for a user of the split (their known history) or for a given list of items')
      .requiredOption('--model-file <file>', 'model file written by `untangle train`')
      .requiredOption('--split <dir>', 'the split the model was trained on (item ids and user histories)')
      .option('--user <id>', 'original id of a user in the split')
      .option('--items <ids>', 'comma-separated item ids to use as the history instead of a user')
      .option('--k <n>', 'number of recommendations', '10')
      .option('--include-seen', 'allow items already in the history')
      .option('--dataset <name>', 'load this dataset too, to show item titles')
      .option('--json', 'print machine-readable JSON on stdout'),
  ).action(async (opts: RecommendOptions) => {
    const out = makeOutput(Boolean(opts.json));
    const k = parseInteger('--k', opts.k, 1);
    const { model } = loadModel(opts.modelFile);
    const { split } = loadSplit(opts.split);
    if (model.items !== split.itemIds.length)
      throw new ConfigError(
        `${opts.modelFile} was trained on another split (${model.items} items, not ${split.itemIds.length})`,
      );
    const history = historyOf(opts, split);
    const { kernels } = selectKernels();
    const rec = recommend(kernels, model, history, k, { excludeSeen: !opts.includeSeen });
    let titles: (string | null)[] | null = null;
    if (opts.dataset) {
      const ds = await datasetFromOptions(opts.dataset, opts, out);
      const byId = new Map(ds.ratings.itemIds.map((id, i) => [id, ds.itemMeta?.title[i] ?? null]));
      titles = split.itemIds.map((id) => byId.get(id) ?? null);
    }
    const list = Array.from(rec.items)
      .map((j, q) => ({
        rank: q + 1,
        item: j >= 0 ? split.itemIds[j] : null,
        score: rec.scores[q],
        title: j >= 0 && titles ? titles[j] : undefined,
      }))
      .filter((r) => r.item !== null);
    const who = opts.user ? `user ${opts.user}` : `items ${opts.items}`;
    out.result({ for: who, historySize: history.nnz, model: model.name, recommendations: list }, () =>
      [
        `top ${list.length} for ${who} (history of ${history.nnz} items), ${model.name}:`,
        ...list.map(
          (r) => `  ${String(r.rank).padStart(3)}. ${r.item}${r.title ? `  ${r.title}` : ''}  (${r.score.toFixed(4)})`,
        ),
      ].join('\n'),
    );
  });
}

/** The history row for --user (train row, else held-out fold-in) or --items, as a 1-row CSR over split items. */
function historyOf(opts: RecommendOptions, split: ReturnType<typeof loadSplit>['split']): CsrMatrix {
  const n = split.itemIds.length;
  if (opts.items) {
    const col = new Map(split.itemIds.map((id, j) => [id, j]));
    const cols = opts.items.split(',').map((s) => {
      const j = col.get(s.trim());
      if (j === undefined) throw new ConfigError(`item "${s.trim()}" is not among the split's items`);
      return j;
    });
    return CsrMatrix.fromTriplets(
      1,
      n,
      cols.map(() => 0),
      cols,
      undefined,
      'last',
    );
  }
  if (!opts.user) throw new ConfigError('give --user <id> or --items <ids>');
  const row = split.userIds.indexOf(opts.user);
  if (row < 0) throw new ConfigError(`user "${opts.user}" is not in the split's dataset`);
  for (const fit of [split.fitTest, split.validation, split.test]) {
    const r = fit.users.indexOf(row);
    if (r >= 0) return ('matrix' in fit ? fit.matrix : fit.foldIn).sliceRows([r]);
  }
  throw new ConfigError(`user "${opts.user}" was removed by preprocessing`);
}
