// Downloading: against a local HTTP server, the archive is streamed, checksummed and unpacked atomically; a bad
// checksum, a dropped connection or a missing server leaves nothing behind and says what to do instead.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { strToU8, zipSync } from 'fflate';

import { ensureDownloaded } from '../../src/data/download.js';
import { ChecksumError, DataMissingError } from '../../src/data/errors.js';

const zip = Buffer.from(
  zipSync({ 'ds/u.data': strToU8('1\t1\t5\t1\n'), 'ds/README': strToU8('hi'), 'other/x': strToU8('no') }),
);
const md5 = createHash('md5').update(zip).digest('hex');
let server: Server;
let base = '';

before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ds.zip') {
      res.writeHead(200, { 'content-length': zip.length });
      res.end(zip);
    } else if (req.url === '/truncated.zip') {
      res.writeHead(200, { 'content-length': zip.length + 100 });
      res.end(zip);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
after(() => server.close());

const cache = () => mkdtempSync(join(tmpdir(), 'untangle-cache-'));

describe('download', () => {
  test('downloads, verifies the MD5, unpacks only the dataset folder, reuses the cache', async () => {
    const dir = cache();
    const events: string[] = [];
    const folder = await ensureDownloaded(
      { url: `${base}/ds.zip`, md5, folder: 'ds' },
      dir,
      (e) => events.push(e.kind),
      ['u.data'],
    );
    assert.equal(readFileSync(join(folder, 'u.data'), 'utf8'), '1\t1\t5\t1\n');
    assert.ok(!existsSync(join(dir, 'other')));
    assert.deepEqual([...new Set(events)], ['download-start', 'download-progress', 'download-done', 'extract']);
    events.length = 0;
    await ensureDownloaded({ url: `${base}/ds.zip`, md5, folder: 'ds' }, dir, (e) => events.push(e.kind), ['u.data']);
    assert.ok(!events.includes('download-start'), 'a verified archive in the cache is not fetched again');
    rmSync(dir, { recursive: true });
  });

  test('a checksum mismatch keeps nothing', async () => {
    const dir = cache();
    await assert.rejects(
      ensureDownloaded({ url: `${base}/ds.zip`, md5: '0'.repeat(32), folder: 'ds' }, dir, undefined, ['u.data']),
      ChecksumError,
    );
    assert.deepEqual(readdirSync(dir), []);
    rmSync(dir, { recursive: true });
  });

  test('a connection that ends early keeps nothing', async () => {
    const dir = cache();
    await assert.rejects(ensureDownloaded({ url: `${base}/truncated.zip`, folder: 'ds' }, dir, undefined, ['u.data']));
    assert.deepEqual(readdirSync(dir), []);
    rmSync(dir, { recursive: true });
  });

  test('no server / 404: one clear error saying where to put which files', async () => {
    const dir = cache();
    await assert.rejects(
      ensureDownloaded({ url: `${base}/missing.zip`, folder: 'ds' }, dir, undefined, ['u.data', 'u.item']),
      (e: unknown) =>
        e instanceof DataMissingError &&
        /HTTP 404/.test(e.message) &&
        /--data-dir with the folder holding u\.data, u\.item/.test(e.message),
    );
    await assert.rejects(
      ensureDownloaded({ url: 'http://127.0.0.1:9/x.zip', folder: 'ds' }, dir, undefined, ['u.data']),
      DataMissingError,
    );
    rmSync(dir, { recursive: true });
  });
});
