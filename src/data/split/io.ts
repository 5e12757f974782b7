import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CsrMatrix } from '../../engine/csr.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { codeVersion } from '../../version.js';
import { DataFormatError } from '../errors.js';
import { type EvalSet, type Split, SplitConfig } from './protocols.js';

const FORMAT = 'untangle-split';
const VERSION = 1;

interface ArrayEntry {
  name: string;
  dtype: 'int32' | 'float32';
  offset: number;
  length: number;
}

/** split.json: everything but the arrays, plus where each array lies in split.bin and that file's SHA-256. */
export interface SplitManifest {
  format: typeof FORMAT;
  version: number;
  /** SHA-256 of split.bin: the split's identity ("split hash" in every result). */
  hash: string;
  config: SplitConfig;
  dataset: Split['dataset'];
  itemIds: string[];
  userIds: string[];
  arrays: ArrayEntry[];
  counts: Record<string, number>;
  createdBy: ReturnType<typeof codeVersion>;
}

type Named = [string, Int32Array | Float32Array];

function csrArrays(prefix: string, m: CsrMatrix): Named[] {
  return [
    [`${prefix}.indptr`, m.indptr],
    [`${prefix}.indices`, m.indices],
    [`${prefix}.values`, m.values],
  ];
}

function evalArrays(prefix: string, e: EvalSet): Named[] {
  return [
    [`${prefix}.users`, e.users],
    ...csrArrays(`${prefix}.foldIn`, e.foldIn),
    ...csrArrays(`${prefix}.heldOut`, e.heldOut),
  ];
}

/**
 * Writes a split to `dir` as split.bin (all arrays, 8-byte aligned) and split.json (manifest with split.bin's hash).
 * Each file is written to a temporary name and renamed, split.bin first, so a crash never leaves a manifest that
 * points at a missing or partial binary. Returns the manifest.
 */
export function saveSplit(split: Split, dir: string): SplitManifest {
  mkdirSync(dir, { recursive: true });
  const { bin, arrays } = splitBinary(split);
  const manifest: SplitManifest = {
    format: FORMAT,
    version: VERSION,
    hash: sha256(bin),
    config: split.config,
    dataset: split.dataset,
    itemIds: split.itemIds,
    userIds: split.userIds,
    arrays,
    counts: splitCounts(split),
    createdBy: codeVersion(),
  };
  writeFileAtomic(join(dir, 'split.bin'), bin);
  writeFileAtomic(join(dir, 'split.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

/** The SHA-256 a split has once saved (of its binary arrays), for results about splits made in memory. */
export function splitHash(split: Split): string {
  return sha256(splitBinary(split).bin);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** All arrays of a split in one buffer, each 8-byte aligned, with their table of contents. */
function splitBinary(split: Split): { bin: Buffer; arrays: ArrayEntry[] } {
  const named: Named[] = [
    ['itemSource', split.itemSource],
    ['fitValidation.users', split.fitValidation.users],
    ...csrArrays('fitValidation', split.fitValidation.matrix),
    ['fitTest.users', split.fitTest.users],
    ...csrArrays('fitTest', split.fitTest.matrix),
    ...evalArrays('validation', split.validation),
    ...evalArrays('test', split.test),
  ];
  const arrays: ArrayEntry[] = [];
  let offset = 0;
  for (const [name, a] of named) {
    arrays.push({ name, dtype: a instanceof Int32Array ? 'int32' : 'float32', offset, length: a.length });
    offset += Math.ceil(a.byteLength / 8) * 8;
  }
  const bin = Buffer.alloc(offset);
  named.forEach(([, a], k) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(bin, arrays[k].offset));
  return { bin, arrays };
}

/** Reads a split saved by saveSplit, verifying split.bin against the manifest's hash. */
export function loadSplit(dir: string): { split: Split; manifest: SplitManifest } {
  const jsonPath = join(dir, 'split.json');
  const binPath = join(dir, 'split.bin');
  if (!existsSync(jsonPath) || !existsSync(binPath)) {
    throw new DataFormatError(
      dir,
      0,
      'not a split directory (split.json and split.bin expected); create one with `untangle data split`',
    );
  }
  let manifest: SplitManifest;
  try {
    manifest = JSON.parse(readFileSync(jsonPath, 'utf8')) as SplitManifest;
  } catch (err) {
    throw new DataFormatError(jsonPath, 1, `unreadable manifest: ${(err as Error).message}`);
  }
  if (manifest.format !== FORMAT || manifest.version !== VERSION) {
    throw new DataFormatError(jsonPath, 1, `not an ${FORMAT} v${VERSION} manifest`);
  }
  const bin = readFileSync(binPath);
  const hash = createHash('sha256').update(bin).digest('hex');
  if (hash !== manifest.hash) {
    throw new DataFormatError(
      binPath,
      0,
      `content hash ${hash.slice(0, 12)} does not match the manifest's ${manifest.hash.slice(0, 12)}`,
    );
  }
  const buf = new Uint8Array(bin.buffer, bin.byteOffset, bin.byteLength).slice(); // own, aligned copy
  const get = (name: string) => {
    const e = manifest.arrays.find((a) => a.name === name);
    if (!e) throw new DataFormatError(jsonPath, 1, `array ${name} missing`);
    return e.dtype === 'int32'
      ? new Int32Array(buf.buffer, e.offset, e.length)
      : new Float32Array(buf.buffer, e.offset, e.length);
  };
  const nItems = manifest.itemIds.length;
  const csr = (prefix: string, rows: number) =>
    new CsrMatrix(
      rows,
      nItems,
      get(`${prefix}.indptr`) as Int32Array,
      get(`${prefix}.indices`) as Int32Array,
      get(`${prefix}.values`) as Float32Array,
    );
  const evalSet = (prefix: string): EvalSet => {
    const users = get(`${prefix}.users`) as Int32Array;
    return { users, foldIn: csr(`${prefix}.foldIn`, users.length), heldOut: csr(`${prefix}.heldOut`, users.length) };
  };
  const fitValUsers = get('fitValidation.users') as Int32Array;
  const fitTestUsers = get('fitTest.users') as Int32Array;
  const split: Split = {
    config: SplitConfig.parse(manifest.config),
    dataset: manifest.dataset,
    itemSource: get('itemSource') as Int32Array,
    itemIds: manifest.itemIds,
    userIds: manifest.userIds,
    fitValidation: { users: fitValUsers, matrix: csr('fitValidation', fitValUsers.length) },
    fitTest: { users: fitTestUsers, matrix: csr('fitTest', fitTestUsers.length) },
    validation: evalSet('validation'),
    test: evalSet('test'),
  };
  return { split, manifest };
}

/** Sizes a results table states about its protocol. */
export function splitCounts(split: Split): Record<string, number> {
  const evaluated = (e: EvalSet) =>
    Array.from({ length: e.heldOut.rows }, (_, r) => e.heldOut.rowNnz(r)).filter((n) => n > 0).length;
  return {
    items: split.itemIds.length,
    trainUsers: split.fitValidation.users.length,
    trainInteractions: split.fitValidation.matrix.nnz,
    validationUsers: evaluated(split.validation),
    testUsers: evaluated(split.test),
    testHeldOut: split.test.heldOut.nnz,
  };
}

/** One line describing the protocol, for results tables. */
export function describeProtocol(split: Split, hash?: string): string {
  const c = splitCounts(split);
  const proto =
    split.config.type === 'strong'
      ? `strong generalisation (${c.trainUsers} train / ${c.validationUsers} validation / ${c.testUsers} test users, ` +
        `${Math.round(split.config.heldOutFraction * 100)}% of each held-out user's items as targets)`
      : `weak generalisation (${split.config.order} ${Math.round((1 - split.config.testFraction) * (1 - split.config.validationFraction) * 100)}/` +
        `${Math.round((1 - split.config.testFraction) * split.config.validationFraction * 100)}/${Math.round(split.config.testFraction * 100)} per user)`;
  return (
    `${split.dataset.name}: ${proto}, ${c.items} items, seed ${split.config.seed}${hash ? `, split ${hash.slice(0, 12)}` : ''}; ` +
    'candidates: all items, fold-in items excluded'
  );
}
