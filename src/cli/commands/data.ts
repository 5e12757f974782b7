import type { Command } from 'commander';

import { datasetInfo } from '../../data/stats.js';
import { makeSplit } from '../../data/split/protocols.js';
import { describeProtocol, saveSplit } from '../../data/split/io.js';
import { DATASETS } from '../../data/registry.js';
import {
  DATASET_NAMES,
  type DataOptions,
  type SplitOptions,
  addDataOptions,
  addSplitOptions,
  datasetFromOptions,
  interactionsFromOptions,
  splitConfigFromOptions,
} from '../data-options.js';
import { keyValues, makeOutput } from '../output.js';

const fmt = (x: number, d = 1) => (Number.isInteger(x) ? String(x) : x.toFixed(d));

export function registerData(program: Command): void {
  const data = program.command('data').description('datasets: inspect and split');

  addDataOptions(
    data
      .command('info <dataset>')
      .description(`counts, density, per-user and per-item statistics (datasets: ${DATASET_NAMES.join(', ')})`)
      .option('--json', 'print machine-readable JSON on stdout'),
  ).action(async (name: string, opts: DataOptions & { json?: boolean }) => {
    const out = makeOutput(Boolean(opts.json));
    const ds = await datasetFromOptions(name, opts, out);
    const info = datasetInfo(ds, interactionsFromOptions(ds, opts));
    out.result(info, () => {
      const r = info.raw;
      const p = info.preprocessed;
      const dist = (d: typeof r.perUser) =>
        `min ${fmt(d.min)}, median ${fmt(d.median)}, mean ${fmt(d.mean)}, max ${fmt(d.max)}`;
      const rows: [string, string][] = [
        ['dataset', `${name}: ${DATASETS[name as keyof typeof DATASETS].description}`],
        ['raw', `${r.users} users x ${r.items} items, ${r.ratings} ratings, density ${(100 * r.density).toFixed(3)}%`],
        [
          'ratings',
          Object.entries(r.ratingHistogram)
            .sort(([a], [b]) => Number(a) - Number(b))
            .map(([k, v]) => `${k}: ${v}`)
            .join(', '),
        ],
        [
          'timestamps',
          r.timestamps ? `${r.timestamps.first} .. ${r.timestamps.last}` : 'none (time-ordered protocols unavailable)',
        ],
        ['per user', dist(r.perUser)],
        ['per item', dist(r.perItem)],
        [
          'preprocessed',
          `threshold ${p.config.threshold ?? 'none'}, users >= ${p.config.minUserItems} items, items >= ${p.config.minItemUsers} users: ` +
            `${p.stats.users} x ${p.stats.items}, ${p.stats.kept} interactions, density ${(100 * p.density).toFixed(3)}%`,
        ],
        [
          '  dropped',
          `${p.stats.belowThreshold} below threshold, ${p.stats.duplicates} duplicates, ${p.stats.droppedByCore} by the k-core filter`,
        ],
        ['  per user', dist(p.perUser)],
        ['  per item', dist(p.perItem)],
        [
          'metadata',
          `${info.metadata.itemTitles} titles, ${info.metadata.itemGenres.length} genres, ${info.metadata.itemTags} tagged items, user columns: ${info.metadata.userColumns.join(', ') || 'none'}`,
        ],
      ];
      if (info.metadata.groundTruthFactors.length) rows.push(['factors', info.metadata.groundTruthFactors.join(', ')]);
      for (const f of info.source.files ?? [])
        rows.push(['file', `${f.path} (${f.verified === 'pinned' ? 'matches the GroupLens original' : f.verified})`]);
      for (const n of info.source.notes ?? []) rows.push(['note', n]);
      return keyValues(rows);
    });
  });

  addSplitOptions(
    addDataOptions(
      data
        .command('split <dataset>')
        .description('split a dataset and save it (split.bin + split.json with its content hash) for reuse')
        .requiredOption('--out <dir>', 'folder to write the split to')
        .option('--json', 'print machine-readable JSON on stdout'),
    ),
  ).action(async (name: string, opts: DataOptions & SplitOptions & { out: string; json?: boolean }) => {
    const out = makeOutput(Boolean(opts.json));
    const ds = await datasetFromOptions(name, opts, out);
    const split = makeSplit(interactionsFromOptions(ds, opts), splitConfigFromOptions(opts));
    const manifest = saveSplit(split, opts.out);
    out.result(
      {
        dir: opts.out,
        hash: manifest.hash,
        protocol: describeProtocol(split, manifest.hash),
        config: manifest.config,
        counts: manifest.counts,
      },
      () =>
        keyValues([
          ['split', opts.out],
          ['hash', manifest.hash],
          ['protocol', describeProtocol(split, manifest.hash)],
        ]),
    );
  });
}
