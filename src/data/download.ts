import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { unzipSync } from 'fflate';

import { writeFileAtomic } from '../io/atomic.js';
import { ChecksumError, DataMissingError } from './errors.js';
import { PINNED_FILES } from './loaders/movielens.js';

/** A downloadable archive: its URL, pinned checksums where known, and the folder it unpacks to. */
export interface DownloadSpec {
  url: string;
  /** MD5 of the archive (the checksum GroupLens publishes). */
  md5?: string;
  sha256?: string;
  /** Folder name inside the archive and in the cache. */
  folder: string;
  /** Extract only these files of the folder (default: all). */
  only?: string[];
}

export type DownloadEvent =
  | { kind: 'download-start'; url: string; bytes: number | null }
  | { kind: 'download-progress'; received: number; bytes: number | null }
  | { kind: 'download-done'; path: string; sha256: string }
  | { kind: 'extract'; folder: string; files: number };

/**
 * Makes `cacheDir/<folder>` hold the archive's files: downloads the archive (streamed to a temporary file, hashed on
 * the fly, checked against its pinned MD5/SHA-256, then renamed into place), unzips it into a temporary folder,
 * checks every extracted file that has a pinned SHA-256, and renames the folder into place. A failure at any step
 * leaves nothing partial in the cache. Returns the folder.
 */
export async function ensureDownloaded(
  spec: DownloadSpec,
  cacheDir: string,
  onEvent: ((e: DownloadEvent) => void) | undefined,
  required: string[],
): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const archive = join(cacheDir, basename(new URL(spec.url).pathname));
  if (!existsSync(archive) || !archiveMatches(archive, spec)) await download(spec, archive, onEvent, required);
  return extract(spec, archive, cacheDir, onEvent);
}

function archiveMatches(path: string, spec: DownloadSpec): boolean {
  const bytes = readFileSync(path);
  return (
    (!spec.md5 || createHash('md5').update(bytes).digest('hex') === spec.md5) &&
    (!spec.sha256 || createHash('sha256').update(bytes).digest('hex') === spec.sha256)
  );
}

async function download(
  spec: DownloadSpec,
  target: string,
  onEvent: ((e: DownloadEvent) => void) | undefined,
  required: string[],
) {
  const manual =
    `Download ${spec.url} yourself, unzip it, and pass --data-dir with the folder holding ${required.join(', ')}` +
    ` (or put that folder at ${join(dirname(target), spec.folder)}).`;
  let res: Response;
  try {
    res = await fetch(spec.url);
  } catch (err) {
    throw new DataMissingError(`could not download ${spec.url} (${(err as Error).message}). ${manual}`);
  }
  if (!res.ok || !res.body)
    throw new DataMissingError(`could not download ${spec.url} (HTTP ${res.status}). ${manual}`);
  const bytes = Number(res.headers.get('content-length')) || null;
  onEvent?.({ kind: 'download-start', url: spec.url, bytes });
  const tmp = `${target}.tmp-${process.pid}`;
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  let received = 0;
  const fd = openSync(tmp, 'w');
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      md5.update(chunk);
      sha256.update(chunk);
      for (let done = 0; done < chunk.length;) done += writeSync(fd, chunk, done, chunk.length - done);
      received += chunk.length;
      onEvent?.({ kind: 'download-progress', received, bytes });
    }
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw new DataMissingError(
      `download of ${spec.url} broke off after ${received} bytes (${(err as Error).message}). ${manual}`,
    );
  }
  closeSync(fd);
  const got = { md5: md5.digest('hex'), sha256: sha256.digest('hex') };
  const bad = (spec.md5 && got.md5 !== spec.md5) || (spec.sha256 && got.sha256 !== spec.sha256);
  if ((bytes !== null && received !== bytes) || bad) {
    rmSync(tmp, { force: true });
    throw new ChecksumError(
      `${spec.url}: got ${received} bytes, md5 ${got.md5}, sha256 ${got.sha256}; expected ${bytes ?? '?'} bytes` +
        `${spec.md5 ? `, md5 ${spec.md5}` : ''}${spec.sha256 ? `, sha256 ${spec.sha256}` : ''}. Nothing was kept.`,
    );
  }
  renameSync(tmp, target);
  onEvent?.({ kind: 'download-done', path: target, sha256: got.sha256 });
}

function extract(
  spec: DownloadSpec,
  archive: string,
  cacheDir: string,
  onEvent: ((e: DownloadEvent) => void) | undefined,
): string {
  const folder = join(cacheDir, spec.folder);
  const stage = join(cacheDir, `.${spec.folder}.partial-${process.pid}`);
  rmSync(stage, { recursive: true, force: true });
  const prefix = `${spec.folder}/`;
  const entries = unzipSync(readFileSync(archive), {
    filter: (f) =>
      f.name.startsWith(prefix) &&
      !f.name.endsWith('/') &&
      (!spec.only || spec.only.includes(f.name.slice(prefix.length))),
  });
  try {
    mkdirSync(stage, { recursive: true });
    for (const [name, data] of Object.entries(entries)) {
      const rel = name.slice(prefix.length);
      const pinned = PINNED_FILES[`${spec.folder}/${rel}`];
      if (pinned) {
        const got = createHash('sha256').update(data).digest('hex');
        if (got !== pinned)
          throw new ChecksumError(`${spec.url}: ${rel} has sha256 ${got}, expected ${pinned}. Nothing was kept.`);
      }
      mkdirSync(dirname(join(stage, rel)), { recursive: true });
      writeFileAtomic(join(stage, rel), data);
    }
    writeFileAtomic(
      join(stage, '.untangle-source.json'),
      `${JSON.stringify({ url: spec.url, md5: spec.md5 ?? null }, null, 1)}\n`,
    );
    rmSync(folder, { recursive: true, force: true });
    renameSync(stage, folder);
  } catch (err) {
    rmSync(stage, { recursive: true, force: true });
    throw err;
  }
  onEvent?.({ kind: 'extract', folder, files: Object.keys(entries).length });
  return folder;
}
