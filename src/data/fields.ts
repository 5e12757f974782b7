import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { DataFormatError } from './errors.js';

/**
 * Field parsers shared by the loaders: each checks one value and throws DataFormatError naming file:line and the
 * offending text, so every malformed line gives one clear error.
 */
export class LineFields {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly fields: string[],
  ) {}

  /** Splits `text` on `sep` and checks there are exactly `count` fields (or at least, when `atLeast`). */
  static split(file: string, line: number, text: string, sep: string, count: number, atLeast = false): LineFields {
    const fields = text.split(sep);
    if (atLeast ? fields.length < count : fields.length !== count) {
      const shown = sep === '\t' ? '\\t' : sep;
      throw new DataFormatError(
        file,
        line,
        `expected ${atLeast ? 'at least ' : ''}${count} fields separated by '${shown}', found ${fields.length}` +
          ` in "${truncate(text)}"`,
      );
    }
    return new LineFields(file, line, fields);
  }

  fail(problem: string): never {
    throw new DataFormatError(this.file, this.line, problem);
  }

  /** A numeric id (digits only, at most 15 of them so it is exact as a number), normalised ("007" -> "7"). */
  id(index: number, what: string): string {
    const raw = this.fields[index].trim();
    if (!/^\d+$/.test(raw)) this.fail(`${what} id "${truncate(raw)}" is not a non-negative integer`);
    if (raw.length > 15) this.fail(`${what} id "${truncate(raw)}" is too large (more than 15 digits)`);
    return String(Number(raw));
  }

  /** A finite number in [min, max] that is a multiple of `step` (e.g. 0.5 for half-star ratings). */
  rating(index: number, min: number, max: number, step: number): number {
    const raw = this.fields[index].trim();
    const v = Number(raw);
    if (raw === '' || !Number.isFinite(v)) this.fail(`rating "${truncate(raw)}" is not a number`);
    if (v < min || v > max) this.fail(`rating ${raw} is outside ${min}-${max}`);
    if (Math.abs(v / step - Math.round(v / step)) > 1e-9) this.fail(`rating ${raw} is not a multiple of ${step}`);
    return v;
  }

  /** A non-negative integer timestamp (Unix seconds). */
  timestamp(index: number): number {
    const raw = this.fields[index].trim();
    if (!/^\d{1,15}$/.test(raw)) this.fail(`timestamp "${truncate(raw)}" is not a non-negative integer`);
    return Number(raw);
  }
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** The release year in a MovieLens title such as "Toy Story (1995)", or null. */
export function yearFromTitle(title: string): number | null {
  const m = /\((\d{4})(?:[-–]\d{0,4})?\)\s*$/.exec(title.trim());
  return m ? Number(m[1]) : null;
}

/** SHA-256 of a file, hex. */
export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
