import { closeSync, openSync, readSync, statSync } from 'node:fs';

import { UntangleError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { ModelState } from './model.js';

const MAGIC = 'UNTANGLE';
const VERSION = 1;

/** A model file is unreadable, truncated, of another format, or inconsistent. */
export class CheckpointError extends UntangleError {
  constructor(path: string, problem: string) {
    super('E_CHECKPOINT', `${path}: ${problem}`);
  }
}

interface TensorEntry {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  offset: number;
}

/** The JSON header of a model file. */
export interface CheckpointHeader {
  format: 'untangle-model';
  version: number;
  model: string;
  config: Record<string, unknown>;
  items: number;
  meta: Record<string, unknown>;
  /** Provenance: seed, split hash, dataset, code version, metrics (whatever the caller records). */
  manifest: Record<string, unknown>;
  tensors: TensorEntry[];
}

/**
 * Writes a model file: 8 bytes "UNTANGLE", a uint32 version, a uint32 header length, the JSON header, then the raw
 * little-endian arrays, each 8-byte aligned. Written atomically (temporary file + rename). Loading parses JSON and
 * copies bytes; it never evaluates code (unlike pickle-based formats).
 */
export function saveCheckpoint(
  path: string,
  model: { name: string; config: Record<string, unknown>; items: number },
  state: ModelState,
  manifest: Record<string, unknown>,
): void {
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(state.tensors)) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length)
      throw new CheckpointError(path, `tensor ${name}: shape ${t.shape} does not hold ${t.data.length} values`);
    entries.push({ name, dtype: t.data instanceof Int32Array ? 'int32' : 'float32', shape: t.shape, offset });
    offset += Math.ceil(t.data.byteLength / 8) * 8;
  }
  const header: CheckpointHeader = {
    format: 'untangle-model',
    version: VERSION,
    model: model.name,
    config: model.config,
    items: model.items,
    meta: state.meta ?? {},
    manifest,
    tensors: entries,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const start = Math.ceil((16 + json.length) / 8) * 8;
  const file = Buffer.alloc(start + offset);
  file.write(MAGIC, 0, 'latin1');
  file.writeUInt32LE(VERSION, 8);
  file.writeUInt32LE(json.length, 12);
  json.copy(file, 16);
  for (const e of entries) {
    const t = state.tensors[e.name].data;
    Buffer.from(t.buffer, t.byteOffset, t.byteLength).copy(file, start + e.offset);
  }
  writeFileAtomic(path, file);
}

/** Reads a model file written by saveCheckpoint, checking magic, version and every tensor's bounds. */
export function loadCheckpoint(path: string): { header: CheckpointHeader; state: ModelState } {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new CheckpointError(path, 'no such model file');
  }
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    if (readSync(fd, head, 0, 16, 0) < 16 || head.toString('latin1', 0, 8) !== MAGIC) {
      throw new CheckpointError(path, 'not an untangle model file (bad magic)');
    }
    const version = head.readUInt32LE(8);
    if (version !== VERSION)
      throw new CheckpointError(path, `model file version ${version}; this untangle reads ${VERSION}`);
    const jsonLength = head.readUInt32LE(12);
    if (16 + jsonLength > size) throw new CheckpointError(path, 'truncated header');
    const json = Buffer.alloc(jsonLength);
    readSync(fd, json, 0, jsonLength, 16);
    let header: CheckpointHeader;
    try {
      header = JSON.parse(json.toString('utf8')) as CheckpointHeader;
    } catch {
      throw new CheckpointError(path, 'corrupt header');
    }
    const start = Math.ceil((16 + jsonLength) / 8) * 8;
    const tensors: ModelState['tensors'] = {};
    for (const e of header.tensors) {
      const count = e.shape.reduce((a, b) => a * b, 1);
      const bytes = count * 4;
      if (!Number.isSafeInteger(count) || count < 0 || start + e.offset + bytes > size) {
        throw new CheckpointError(path, `tensor ${e.name} lies outside the file (truncated?)`);
      }
      const buf = Buffer.alloc(bytes);
      readSync(fd, buf, 0, bytes, start + e.offset);
      const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytes);
      tensors[e.name] = { data: e.dtype === 'int32' ? new Int32Array(ab) : new Float32Array(ab), shape: e.shape };
    }
    return { header, state: { tensors, meta: header.meta } };
  } finally {
    closeSync(fd);
  }
}
