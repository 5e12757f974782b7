// Bad input gets one typed error naming file:line (or follows a documented rule), never a crash: every MovieLens
// format, the generic CSV loader and the Netflix loader are fed malformed files.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import { DataFormatError, DataMissingError } from '../../src/data/errors.js';
import { loadCsv } from '../../src/data/loaders/csv.js';
import { loadMovieLens } from '../../src/data/loaders/movielens.js';
import { loadNetflix } from '../../src/data/loaders/netflix.js';
import { preprocess } from '../../src/data/preprocess.js';

const root = mkdtempSync(join(tmpdir(), 'untangle-fuzz-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A fresh folder holding the given files. */
function folder(files: Record<string, string | Buffer>): string {
  const dir = join(root, String(n++));
  mkdirSync(dir);
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  return dir;
}

const item100k = '1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n';
const ml100k = (data: string | Buffer) => folder({ 'u.data': data, 'u.item': item100k });
const ml1m = (ratings: string) =>
  folder({ 'ratings.dat': ratings, 'movies.dat': '1::Toy Story (1995)::Animation|Comedy\n' });

/** Asserts a DataFormatError at `line` whose message mentions `words`. */
function failsAt(fn: () => unknown, line: number, words: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DataFormatError, `expected DataFormatError, got ${String(e)}`);
    assert.equal(e.line, line, e.message);
    assert.match(e.message, words);
    assert.match(e.message, new RegExp(`:${line}: `));
    return true;
  });
}

describe('MovieLens 100K u.data', () => {
  const load = (data: string | Buffer) => loadMovieLens('ml-100k', ml100k(data));
  test('a good file loads', () =>
    assert.equal(load('1\t1\t5\t881250949\n2\t1\t3\t881250950\n').ratings.user.length, 2));
  test('malformed line (missing field)', () =>
    failsAt(() => load('1\t1\t5\t881250949\n1\t2\t4\n'), 2, /expected 4 fields separated by '\\t', found 3/));
  test('wrong separator', () => failsAt(() => load('1,1,5,881250949\n'), 1, /expected 4 fields/));
  test('non-numeric user id', () =>
    failsAt(() => load('1\t1\t5\t1\nabc\t1\t5\t1\n'), 2, /user id "abc" is not a non-negative integer/));
  test('negative item id', () => failsAt(() => load('1\t-4\t5\t1\n'), 1, /item id "-4"/));
  test('huge id', () => failsAt(() => load('12345678901234567890\t1\t5\t1\n'), 1, /too large/));
  test('out-of-range rating', () => failsAt(() => load('1\t1\t7\t1\n'), 1, /rating 7 is outside 1-5/));
  test('fractional rating where stars are whole', () =>
    failsAt(() => load('1\t1\t3.5\t1\n'), 1, /not a multiple of 1/));
  test('non-numeric rating', () => failsAt(() => load('1\t1\tfive\t1\n'), 1, /rating "five" is not a number/));
  test('bad timestamp', () => failsAt(() => load('1\t1\t5\tyesterday\n'), 1, /timestamp "yesterday"/));
  test('empty file', () => failsAt(() => load(''), 1, /file is empty/));
  test('blank line in the middle', () => failsAt(() => load('1\t1\t5\t1\n\n2\t1\t5\t1\n'), 2, /expected 4 fields/));
  test('rule: CRLF line ends are accepted', () =>
    assert.equal(load('1\t1\t5\t1\r\n2\t1\t4\t2\r\n').ratings.rating[1], 4));
  test('rule: a UTF-8 BOM is skipped', () =>
    assert.equal(
      load(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('7\t1\t5\t1\n')])).ratings.userIds[0],
      '7',
    ));
  test('rule: no trailing newline is fine', () => assert.equal(load('1\t1\t5\t1\n2\t1\t5\t1').ratings.user.length, 2));
  test('rule: ids are normalised ("007" is user 7)', () =>
    assert.deepEqual(load('007\t1\t5\t1\n7\t2\t5\t2\n').ratings.userIds, ['7']));
  test('rule: duplicated pairs are kept by the loader and resolved by preprocessing (latest wins)', () => {
    const ds = load('1\t1\t5\t100\n1\t1\t2\t300\n1\t1\t4\t200\n1\t2\t5\t1\n1\t3\t5\t1\n1\t4\t5\t1\n1\t5\t5\t1\n');
    assert.equal(ds.ratings.user.length, 7);
    const data = preprocess(ds, { threshold: null, binarize: false, minUserItems: 1 });
    assert.equal(data.stats.duplicates, 2);
    assert.equal(data.matrix.values[0], 2); // the rating at timestamp 300
  });
  test('a movie line with the wrong number of fields in u.item', () => {
    const dir = folder({ 'u.data': '1\t1\t5\t1\n', 'u.item': '1|Toy Story (1995)|x\n' });
    failsAt(() => loadMovieLens('ml-100k', dir), 1, /expected 24 fields separated by '\|'/);
  });
});

describe('MovieLens 1M ::-separated', () => {
  test('good file, with or without timestamps', () => {
    assert.equal(loadMovieLens('ml-1m', ml1m('1::1::5::978300760\n')).ratings.timestamp?.[0], 978300760);
    const dir = folder({ 'ratings-no-timestamps.dat': '1::1::5\n', 'movies.dat': '1::Toy Story (1995)::Animation\n' });
    const ds = loadMovieLens('ml-1m', dir);
    assert.equal(ds.ratings.timestamp, null);
    assert.match(ds.source.notes?.join() ?? '', /no timestamps/);
  });
  test('tab-separated instead of ::', () =>
    failsAt(() => loadMovieLens('ml-1m', ml1m('1\t1\t5\t978300760\n')), 1, /separated by '::'/));
  test('a 3-field line in a timestamped file', () =>
    failsAt(() => loadMovieLens('ml-1m', ml1m('1::1::5::1\n1::2::5\n')), 2, /found 3/));
  test('Latin-1 titles decode', () => {
    const dir = folder({
      'ratings.dat': '1::1::5::1\n',
      'movies.dat': Buffer.from('1::Caf\xe9 (1990)::Drama\n', 'latin1'),
    });
    assert.equal(loadMovieLens('ml-1m', dir).itemMeta?.title[0], 'Café (1990)');
  });
});

describe('MovieLens CSV variants', () => {
  const csv = (ratings: string) =>
    folder({ 'ratings.csv': ratings, 'movies.csv': 'movieId,title,genres\n1,"Heat, The (1995)",Action|Crime\n' });
  test('half stars and quoted titles', () => {
    const ds = loadMovieLens('ml-latest-small', csv('userId,movieId,rating,timestamp\n1,1,4.5,964982703\n'));
    assert.equal(ds.ratings.rating[0], 4.5);
    assert.equal(ds.itemMeta?.title[0], 'Heat, The (1995)');
    assert.deepEqual(ds.itemMeta?.genres[0], ['Action', 'Crime']);
  });
  test('missing header', () =>
    failsAt(() => loadMovieLens('ml-latest-small', csv('1,1,4.5,964982703\n')), 1, /expected the header/));
  test('rating 0 is out of range', () =>
    failsAt(
      () => loadMovieLens('ml-latest-small', csv('userId,movieId,rating,timestamp\n1,1,0,9\n')),
      2,
      /outside 0.5-5/,
    ));
  test('quarter star', () =>
    failsAt(
      () => loadMovieLens('ml-latest-small', csv('userId,movieId,rating,timestamp\n1,1,4.25,9\n')),
      2,
      /multiple of 0.5/,
    ));
});

describe('missing files', () => {
  test('say which files to put where', () => {
    assert.throws(
      () => loadMovieLens('ml-1m', folder({ 'movies.dat': 'x' })),
      (e: unknown) =>
        e instanceof DataMissingError && /ratings\.dat or ratings-no-timestamps\.dat not found in/.test(e.message),
    );
  });
});

describe('generic CSV/TSV', () => {
  const file = (name: string, body: string) => join(folder({ [name]: body }), name);
  test('named columns, quotes, ISO dates, item metadata with categories', () => {
    const path = file('x.csv', 'uid,"item id",stars,when\nalice,"a,1",4,2020-01-02T00:00:00Z\nbob,b2,5,1600000000\n');
    const items = file('items.tsv', 'iid\tname\tcats\na,1\tFirst\tx|y\nb2\tSecond\t\n');
    const ds = loadCsv({
      path,
      name: 'x',
      header: true,
      encoding: 'utf8',
      user: 'uid',
      item: 'item id',
      rating: 'stars',
      timestamp: 'when',
      items: { path: items, header: true, item: 'iid', title: 'name', categories: 'cats', separator: '|' },
    });
    assert.deepEqual(ds.ratings.itemIds, ['a,1', 'b2']);
    assert.equal(ds.ratings.timestamp?.[0], Date.UTC(2020, 0, 2) / 1000);
    assert.deepEqual(ds.itemMeta?.genres, [['x', 'y'], []]);
    assert.equal(ds.itemMeta?.title[1], 'Second');
  });
  test('index columns without a header, TSV by extension, implicit ratings', () => {
    const ds = loadCsv({
      path: file('x.tsv', 'u1\ti1\nu2\ti1\n'),
      name: 'x',
      header: false,
      encoding: 'utf8',
      user: 0,
      item: 1,
    });
    assert.deepEqual(Array.from(ds.ratings.rating), [1, 1]);
    assert.equal(ds.ratingScale, null);
  });
  const base = { name: 'x', header: true, encoding: 'utf8' as const, user: 'u', item: 'i' };
  test('unknown column name lists the header', () =>
    failsAt(
      () => loadCsv({ ...base, path: file('a.csv', 'user,item\n1,2\n') }),
      1,
      /no user column "u" in the header \(user, item\)/,
    ));
  test('unterminated quote', () =>
    failsAt(() => loadCsv({ ...base, path: file('a.csv', 'u,i\n"1,2\n') }), 2, /double quote/));
  test('too few fields', () =>
    failsAt(() => loadCsv({ ...base, path: file('a.csv', 'u,i\n1\n') }), 2, /at least 2 fields/));
  test('empty id', () => failsAt(() => loadCsv({ ...base, path: file('a.csv', 'u,i\n,2\n') }), 2, /empty user id/));
  test('bad rating and bad timestamp', () => {
    failsAt(() => loadCsv({ ...base, rating: 'r', path: file('a.csv', 'u,i,r\n1,2,x\n') }), 2, /rating "x"/);
    failsAt(
      () => loadCsv({ ...base, timestamp: 't', path: file('a.csv', 'u,i,t\n1,2,soon\n') }),
      2,
      /timestamp "soon"/,
    );
  });
  test('a header and nothing else', () =>
    failsAt(() => loadCsv({ ...base, path: file('a.csv', 'u,i\n') }), 1, /no interactions/));
});

describe('Netflix Prize', () => {
  const titles = '1,2003,Dinosaur Planet\n2,NULL,Isle of Man TT 2004, Review\n';
  test('training_set files and titles', () => {
    const dir = folder({
      'training_set/mv_0000001.txt': '1:\n30878,4,2005-12-26\n2647871,1,2005-12-26\n',
      'training_set/mv_0000002.txt': '2:\n30878,5,2004-01-01\n',
      'movie_titles.txt': titles,
    });
    const ds = loadNetflix(dir);
    assert.equal(ds.ratings.user.length, 3);
    assert.equal(ds.itemMeta?.title[1], 'Isle of Man TT 2004, Review');
    assert.equal(ds.itemMeta?.year[1], null);
    assert.equal(ds.ratings.timestamp?.[0], Date.UTC(2005, 11, 26) / 1000);
  });
  test('combined_data files', () =>
    assert.equal(
      loadNetflix(folder({ 'combined_data_1.txt': '1:\n1,3,2005-01-01\n2:\n1,4,2005-01-02\n' })).ratings.itemIds.length,
      2,
    ));
  test('a rating before any movie header', () =>
    failsAt(
      () => loadNetflix(folder({ 'combined_data_1.txt': '1,3,2005-01-01\n' })),
      1,
      /before the first "MovieID:"/,
    ));
  test('a bad date', () =>
    failsAt(() => loadNetflix(folder({ 'combined_data_1.txt': '1:\n1,3,26/12/2005\n' })), 2, /YYYY-MM-DD/));
  test('no files', () => assert.throws(() => loadNetflix(folder({ 'x.txt': '' })), DataMissingError));
});
