import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Dataset } from '../dataset.js';
import { DataMissingError } from '../errors.js';
import { LineFields, sha256File } from '../fields.js';
import { forEachLine } from '../lines.js';
import { RatingTableBuilder } from '../table.js';
import { splitCsvLine } from './csv.js';
import { emptyItemMeta } from './movielens.js';

/**
 * Netflix Prize data from local files: either the original training_set/mv_NNNNNNN.txt files or Kaggle's
 * combined_data_1..4.txt. Both are blocks that start with a "MovieID:" line followed by "CustomerID,Rating,Date"
 * lines. movie_titles.txt/.csv ("MovieID,Year,Title", Latin-1) gives titles and years when present.
 */
export function loadNetflix(dir: string): Dataset {
  const training = join(dir, 'training_set');
  const files = existsSync(training)
    ? readdirSync(training)
        .filter((f) => /^mv_\d+\.txt$/.test(f))
        .sort()
        .map((f) => join(training, f))
    : readdirSync(dir)
        .filter((f) => /^combined_data_\d+\.txt$/.test(f))
        .sort()
        .map((f) => join(dir, f));
  if (files.length === 0) {
    throw new DataMissingError(`netflix: no training_set/mv_*.txt or combined_data_*.txt files in ${dir}`);
  }
  const b = new RatingTableBuilder(true);
  for (const path of files) {
    let movie: string | null = null;
    forEachLine(path, 'latin1', (text, line) => {
      if (text.trim() === '') return;
      if (text.endsWith(':')) {
        movie = new LineFields(path, line, [text.slice(0, -1)]).id(0, 'movie');
        return;
      }
      const f = LineFields.split(path, line, text, ',', 3);
      const current = movie ?? f.fail('rating line before the first "MovieID:" line');
      const date = Date.parse(`${f.fields[2].trim()}T00:00:00Z`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(f.fields[2].trim()) || Number.isNaN(date))
        f.fail(`date "${f.fields[2]}" is not YYYY-MM-DD`);
      b.add(f.id(0, 'customer'), current, f.rating(1, 1, 5, 1), date / 1000);
    });
  }
  const ratings = b.build();
  const itemMeta = emptyItemMeta(ratings.itemIds.length);
  const titles = ['movie_titles.txt', 'movie_titles.csv'].map((f) => join(dir, f)).find((p) => existsSync(p));
  if (titles) {
    const index = new Map(ratings.itemIds.map((id, i) => [id, i]));
    forEachLine(titles, 'latin1', (text, line) => {
      if (text.trim() === '') return;
      const parsed = splitCsvLine(text, ',');
      const f = new LineFields(titles, line, parsed ?? []);
      const fields = parsed && parsed.length >= 3 ? parsed : f.fail('expected "MovieID,Year,Title"');
      const i = index.get(f.id(0, 'movie'));
      if (i === undefined) return;
      itemMeta.title[i] = fields.slice(2).join(',');
      itemMeta.year[i] = /^\d{4}$/.test(fields[1]) ? Number(fields[1]) : null;
    });
  }
  const read = titles ? [...files, titles] : files;
  return {
    name: 'netflix',
    ratings,
    ratingScale: { min: 1, max: 5 },
    itemMeta,
    userMeta: null,
    factors: null,
    source: {
      kind: 'files',
      files: read.map((path) => ({ path, sha256: sha256File(path), verified: 'unpinned' as const })),
    },
  };
}
