import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'csv-parse/sync';

import type { Dataset, DatasetSource, ItemMeta, UserMeta } from '../dataset.js';
import { DataFormatError, DataMissingError } from '../errors.js';
import { LineFields, sha256File, yearFromTitle } from '../fields.js';
import { forEachLine, type TextEncoding } from '../lines.js';
import { RatingTableBuilder } from '../table.js';

/** SHA-256 of the genuine GroupLens files (unmodified copies), checked when a file is read. */
export const PINNED_FILES: Record<string, string> = {
  'ml-100k/u.data': '06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490',
  'ml-100k/u.item': '553841ebc7de3a0fd0d6b62a204ea30c1e651aacfb2814c7a6584ac52f2c5701',
  'ml-100k/u.genre': '9757e0d3e6b298159a80dd48eaf938114690e911e39af97a76949ef1663610bb',
  'ml-100k/u.user': 'f120e114da2e8cf314fd28f99417c94ae9ddf1cb6db8ce0e4b5995d40e90e62c',
  'ml-1m/movies.dat': '0140fc2356357c1a851d0f52e893a1e4d3696df632c4141cea8d5bc3d621f0b9',
  'ml-1m/users.dat': '1dc3a95300cb19f7c10e027daf29b8cdf1d908dab65b5edfb45950aa389a10a3',
  'ml-1m/ratings-no-timestamps.dat': '8644714f61288184078642373c32c4db000f488ef50697a5054d583e8ecc1bb1',
  'ml-latest-small/ratings.csv': 'aa289ca83157595d0df6aea1be6a4ded676ddc4385472e8313a8ed9805352646',
  'ml-latest-small/movies.csv': '5a5f32dd9bb3797b8e728a1b98958789d2b13f294a69fdfbc5727f8a9611aa07',
  'ml-latest-small/tags.csv': '92a9f8bb7916dceef6151209845788c3643f794dfa79d1feaec7121b5960399d',
};

export type MovieLensVariant = 'ml-100k' | 'ml-1m' | 'ml-20m' | 'ml-latest-small';

/** The files each variant needs (first found wins where there are alternatives). */
export const MOVIELENS_FILES: Record<MovieLensVariant, string[][]> = {
  'ml-100k': [['u.data'], ['u.item']],
  'ml-1m': [['ratings.dat', 'ratings-no-timestamps.dat'], ['movies.dat']],
  'ml-20m': [['ratings.csv'], ['movies.csv']],
  'ml-latest-small': [['ratings.csv'], ['movies.csv']],
};

/** Reads a MovieLens variant from `dir` (or `dir/<variant>`, as the GroupLens zip unpacks). */
export function loadMovieLens(variant: MovieLensVariant, dir: string): Dataset {
  const root = existsSync(join(dir, variant)) ? join(dir, variant) : dir;
  const files: NonNullable<DatasetSource['files']> = [];
  const use = (name: string): string => {
    const path = join(root, name);
    const pinned = PINNED_FILES[`${variant}/${name}`];
    const sha256 = sha256File(path);
    files.push({
      path,
      sha256,
      verified: pinned === undefined ? 'unpinned' : pinned === sha256 ? 'pinned' : 'mismatch',
    });
    return path;
  };
  const find = (names: string[]): string | null => names.find((n) => existsSync(join(root, n))) ?? null;
  for (const group of MOVIELENS_FILES[variant]) {
    if (find(group) === null) {
      throw new DataMissingError(
        `${variant}: ${group.join(' or ')} not found in ${root}. Put the unzipped GroupLens files there ` +
          `(https://grouplens.org/datasets/movielens/), or drop --data-dir to download them.`,
      );
    }
  }
  const notes: string[] = [];
  let ds: Omit<Dataset, 'source'>;
  if (variant === 'ml-100k') ds = readMl100k(root, use);
  else if (variant === 'ml-1m') ds = readMl1m(root, use, find, notes);
  else ds = readCsvVariant(variant, root, use, find);
  for (const f of files) if (f.verified === 'mismatch') notes.push(`${f.path} differs from the GroupLens original`);
  return { ...ds, source: { kind: 'files', files, notes } };
}

type Use = (name: string) => string;

function readMl100k(root: string, use: Use): Omit<Dataset, 'source'> {
  const b = new RatingTableBuilder(true);
  const data = use('u.data');
  forEachLine(data, 'latin1', (text, line) => {
    const f = LineFields.split(data, line, text, '\t', 4);
    b.add(f.id(0, 'user'), f.id(1, 'item'), f.rating(2, 1, 5, 1), f.timestamp(3));
  });
  const genreNames = existsSync(join(root, 'u.genre')) ? readGenreNames(use('u.genre')) : null;
  const items = b.build();
  const itemMeta = emptyItemMeta(items.itemIds.length);
  const index = new Map(items.itemIds.map((id, i) => [id, i]));
  const itemFile = use('u.item');
  forEachLine(itemFile, 'latin1', (text, line) => {
    const f = LineFields.split(itemFile, line, text, '|', 24);
    const i = index.get(f.id(0, 'item'));
    if (i === undefined) return; // a movie nobody rated
    itemMeta.title[i] = f.fields[1];
    itemMeta.year[i] = yearFromTitle(f.fields[1]) ?? yearFromDate(f.fields[2]);
    itemMeta.genres[i] = f.fields
      .slice(5)
      .map((flag, g) => (flag === '1' ? (genreNames?.[g] ?? `genre-${g}`) : null))
      .filter((g): g is string => g !== null);
  });
  const userMeta = existsSync(join(root, 'u.user'))
    ? readUserMeta(use('u.user'), '|', ['age', 'gender', 'occupation', 'zip'], items.userIds)
    : null;
  return { name: 'ml-100k', ratings: items, ratingScale: { min: 1, max: 5 }, itemMeta, userMeta, factors: null };
}

function readMl1m(root: string, use: Use, find: (n: string[]) => string | null, notes: string[]) {
  const name = find(['ratings.dat', 'ratings-no-timestamps.dat']) as string;
  const withTime = name === 'ratings.dat';
  if (!withTime) notes.push('ratings-no-timestamps.dat: no timestamps, so time-ordered protocols are unavailable');
  const b = new RatingTableBuilder(withTime);
  const path = use(name);
  forEachLine(path, 'latin1', (text, line) => {
    const f = LineFields.split(path, line, text, '::', withTime ? 4 : 3);
    b.add(f.id(0, 'user'), f.id(1, 'item'), f.rating(2, 1, 5, 1), withTime ? f.timestamp(3) : 0);
  });
  const ratings = b.build();
  const itemMeta = emptyItemMeta(ratings.itemIds.length);
  const index = new Map(ratings.itemIds.map((id, i) => [id, i]));
  const movies = use('movies.dat');
  forEachLine(movies, 'latin1', (text, line) => {
    const f = LineFields.split(movies, line, text, '::', 3);
    const i = index.get(f.id(0, 'item'));
    if (i === undefined) return;
    itemMeta.title[i] = f.fields[1];
    itemMeta.year[i] = yearFromTitle(f.fields[1]);
    itemMeta.genres[i] = splitGenres(f.fields[2]);
  });
  const userMeta = existsSync(join(root, 'users.dat'))
    ? readUserMeta(use('users.dat'), '::', ['gender', 'age', 'occupation', 'zip'], ratings.userIds)
    : null;
  return { name: 'ml-1m', ratings, ratingScale: { min: 1, max: 5 }, itemMeta, userMeta, factors: null };
}

function readCsvVariant(variant: MovieLensVariant, root: string, use: Use, find: (n: string[]) => string | null) {
  const b = new RatingTableBuilder(true);
  const path = use('ratings.csv');
  forEachLine(path, 'utf8', (text, line) => {
    if (line === 1) {
      if (text.trim() !== 'userId,movieId,rating,timestamp') {
        throw new DataFormatError(path, 1, `expected the header "userId,movieId,rating,timestamp", found "${text}"`);
      }
      return;
    }
    const f = LineFields.split(path, line, text, ',', 4);
    b.add(f.id(0, 'user'), f.id(1, 'item'), f.rating(2, 0.5, 5, 0.5), f.timestamp(3));
  });
  const ratings = b.build();
  const itemMeta = emptyItemMeta(ratings.itemIds.length);
  const index = new Map(ratings.itemIds.map((id, i) => [id, i]));
  const movies = use('movies.csv');
  for (const [line, rec] of readCsvRecords(movies, 3)) {
    const i = index.get(new LineFields(movies, line, rec).id(0, 'item'));
    if (i === undefined) continue;
    itemMeta.title[i] = rec[1];
    itemMeta.year[i] = yearFromTitle(rec[1]);
    itemMeta.genres[i] = rec[2] === '(no genres listed)' ? [] : splitGenres(rec[2]);
  }
  if (find(['tags.csv'])) {
    const tags = use('tags.csv');
    itemMeta.tags = itemMeta.title.map(() => []);
    for (const [line, rec] of readCsvRecords(tags, 4)) {
      const i = index.get(new LineFields(tags, line, rec).id(1, 'item'));
      if (i !== undefined) itemMeta.tags[i].push(rec[2]);
    }
  }
  return { name: variant, ratings, ratingScale: { min: 0.5, max: 5 }, itemMeta, userMeta: null, factors: null };
}

/** Records (after the header) of a quoted CSV file, with their line numbers; each must have `count` fields. */
export function readCsvRecords(path: string, count: number, encoding: TextEncoding = 'utf8'): [number, string[]][] {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(readFileSync(path, encoding), {
      bom: true,
      from_line: 2,
      info: true,
      relax_column_count: true,
    }) as unknown as typeof rows;
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new DataFormatError(path, e.lines ?? 0, `malformed CSV: ${e.message}`);
  }
  return rows.map(({ record, info }) => {
    if (record.length !== count) {
      throw new DataFormatError(path, info.lines, `expected ${count} comma-separated fields, found ${record.length}`);
    }
    return [info.lines, record];
  });
}

function readGenreNames(path: string): string[] {
  const names: string[] = [];
  forEachLine(path, 'latin1', (text, line) => {
    if (text.trim() === '') return;
    const f = LineFields.split(path, line, text, '|', 2);
    names[Number(f.id(1, 'genre'))] = f.fields[0];
  });
  return names;
}

function readUserMeta(path: string, sep: string, columns: string[], userIds: string[]): UserMeta {
  const index = new Map(userIds.map((id, u) => [id, u]));
  const meta: UserMeta = Object.fromEntries(columns.map((c) => [c, userIds.map(() => null)]));
  forEachLine(path, 'latin1', (text, line) => {
    const f = LineFields.split(path, line, text, sep, columns.length + 1);
    const u = index.get(f.id(0, 'user'));
    if (u === undefined) return;
    columns.forEach((c, k) => {
      const v = f.fields[k + 1];
      meta[c][u] = /^\d+$/.test(v) && c !== 'zip' ? Number(v) : v;
    });
  });
  return meta;
}

function splitGenres(s: string): string[] {
  return s.split('|').filter((g) => g !== '');
}

function yearFromDate(s: string): number | null {
  const m = /(\d{4})\s*$/.exec(s);
  return m ? Number(m[1]) : null;
}

/** Item metadata with every field unknown, for n items. */
export function emptyItemMeta(n: number): ItemMeta {
  return {
    title: new Array<string | null>(n).fill(null),
    genres: Array.from({ length: n }, () => []),
    year: new Array<number | null>(n).fill(null),
  };
}
