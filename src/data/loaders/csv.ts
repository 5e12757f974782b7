import { extname } from 'node:path';

import { z } from 'zod';

import type { Dataset } from '../dataset.js';
import { DataFormatError } from '../errors.js';
import { LineFields, sha256File } from '../fields.js';
import { forEachLine } from '../lines.js';
import { RatingTableBuilder } from '../table.js';
import { emptyItemMeta } from './movielens.js';

const Column = z.union([z.string().min(1), z.number().int().min(0)]);

export const CsvConfig = z
  .object({
    path: z.string().min(1).describe('interaction file (CSV or TSV)'),
    name: z.string().default('csv').describe('dataset name recorded in results'),
    delimiter: z.string().min(1).optional().describe("field separator (default: tab for .tsv/.tab files, else ',')"),
    header: z.boolean().default(true).describe('first line names the columns'),
    encoding: z.enum(['utf8', 'latin1']).default('utf8').describe('text encoding'),
    user: Column.default('user').describe('user column: a header name or a 0-based index'),
    item: Column.default('item').describe('item column: a header name or a 0-based index'),
    rating: Column.optional().describe('rating column (absent: every row is a positive interaction of value 1)'),
    timestamp: Column.optional().describe('timestamp column: Unix seconds or an ISO 8601 date'),
    items: z
      .object({
        path: z.string().min(1).describe('item metadata file'),
        delimiter: z.string().min(1).optional(),
        header: z.boolean().default(true),
        item: Column.default('item'),
        title: Column.optional(),
        categories: Column.optional().describe('column listing the categories (genres) of an item'),
        separator: z.string().min(1).default('|').describe('separator between categories'),
      })
      .strict()
      .optional()
      .describe('optional item metadata: title and categories per item'),
  })
  .strict();
export type CsvConfig = z.infer<typeof CsvConfig>;

/**
 * Splits one CSV line: fields may be wrapped in double quotes, with "" for a literal quote; a quoted field may not
 * span lines (the loaders stream line by line). Returns null for an unterminated quote.
 */
export function splitCsvLine(line: string, sep: string): string[] | null {
  if (!line.includes('"')) return line.split(sep);
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return null;
        value += line.slice(j, q);
        if (line[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(value);
      if (i >= line.length) return out;
      if (!line.startsWith(sep, i)) return null;
      i += sep.length;
    } else {
      const next = line.indexOf(sep, i);
      if (next < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, next));
      i = next + sep.length;
    }
  }
}

type Col = z.infer<typeof Column>;

/** Resolves named columns against a header line (or takes indices as they are). */
function resolver(file: string, header: string[] | null) {
  return (col: Col, role: string): number => {
    if (typeof col === 'number') return col;
    if (!header)
      throw new DataFormatError(file, 1, `${role} column "${col}" is a name but the file has no header; give an index`);
    const k = header.indexOf(col);
    if (k < 0) throw new DataFormatError(file, 1, `no ${role} column "${col}" in the header (${header.join(', ')})`);
    return k;
  };
}

/** Reads a generic interaction file (and optional item metadata) with the given column mapping. */
export function loadCsv(cfg: CsvConfig): Dataset {
  const sep = cfg.delimiter ?? (['.tsv', '.tab'].includes(extname(cfg.path).toLowerCase()) ? '\t' : ',');
  const b = new RatingTableBuilder(cfg.timestamp !== undefined);
  let cols: { user: number; item: number; rating: number | null; ts: number | null; width: number } | null = null;
  forEachLine(cfg.path, cfg.encoding, (text, line) => {
    if (text.trim() === '') return;
    const fields = splitCsvLine(text, sep);
    if (!fields) throw new DataFormatError(cfg.path, line, 'unterminated or misplaced double quote');
    if (cols === null) {
      const col = resolver(cfg.path, cfg.header ? fields.map((f) => f.trim()) : null);
      const user = col(cfg.user, 'user');
      const item = col(cfg.item, 'item');
      const rating = cfg.rating === undefined ? null : col(cfg.rating, 'rating');
      const ts = cfg.timestamp === undefined ? null : col(cfg.timestamp, 'timestamp');
      cols = { user, item, rating, ts, width: Math.max(user, item, rating ?? 0, ts ?? 0) + 1 };
      if (cfg.header) return;
    }
    const f = new LineFields(cfg.path, line, fields);
    if (fields.length < cols.width) {
      f.fail(
        `expected at least ${cols.width} fields separated by '${sep === '\t' ? '\\t' : sep}', found ${fields.length}`,
      );
    }
    const user = fields[cols.user].trim();
    const item = fields[cols.item].trim();
    if (user === '' || item === '') f.fail(`empty ${user === '' ? 'user' : 'item'} id`);
    let rating = 1;
    if (cols.rating !== null) {
      rating = Number(fields[cols.rating]);
      if (fields[cols.rating].trim() === '' || !Number.isFinite(rating))
        f.fail(`rating "${fields[cols.rating]}" is not a number`);
    }
    let ts = 0;
    if (cols.ts !== null) {
      const raw = fields[cols.ts].trim();
      ts = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Date.parse(raw) / 1000;
      if (!Number.isFinite(ts)) f.fail(`timestamp "${raw}" is neither Unix seconds nor an ISO 8601 date`);
    }
    b.add(user, item, rating, ts);
  });
  if (b.length === 0) throw new DataFormatError(cfg.path, 1, 'no interactions found');
  const ratings = b.build();
  const files = [{ path: cfg.path, sha256: sha256File(cfg.path), verified: 'unpinned' as const }];
  let itemMeta = null;
  if (cfg.items) {
    const m = cfg.items;
    itemMeta = emptyItemMeta(ratings.itemIds.length);
    const meta = itemMeta;
    const index = new Map(ratings.itemIds.map((id, i) => [id, i]));
    const isep = m.delimiter ?? (['.tsv', '.tab'].includes(extname(m.path).toLowerCase()) ? '\t' : ',');
    let map: { item: number; title: number | null; cats: number | null } | null = null;
    forEachLine(m.path, cfg.encoding, (text, line) => {
      if (text.trim() === '') return;
      const fields = splitCsvLine(text, isep);
      if (!fields) throw new DataFormatError(m.path, line, 'unterminated or misplaced double quote');
      if (map === null) {
        const col = resolver(m.path, m.header ? fields.map((f) => f.trim()) : null);
        map = {
          item: col(m.item, 'item'),
          title: m.title === undefined ? null : col(m.title, 'title'),
          cats: m.categories === undefined ? null : col(m.categories, 'categories'),
        };
        if (m.header) return;
      }
      const i = index.get((fields[map.item] ?? '').trim());
      if (i === undefined) return;
      if (map.title !== null) meta.title[i] = fields[map.title] ?? null;
      if (map.cats !== null)
        meta.genres[i] = (fields[map.cats] ?? '')
          .split(m.separator)
          .map((c) => c.trim())
          .filter((c) => c !== '');
    });
    files.push({ path: m.path, sha256: sha256File(m.path), verified: 'unpinned' });
  }
  const scale =
    cfg.rating === undefined ? null : { min: Math.min(...ratings.rating), max: Math.max(...ratings.rating) };
  return {
    name: cfg.name,
    ratings,
    ratingScale: scale,
    itemMeta,
    userMeta: null,
    factors: null,
    source: { kind: 'files', files },
  };
}
