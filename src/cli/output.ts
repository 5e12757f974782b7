import { UntangleError } from '../errors.js';

/** How a command prints: human text on stdout, or (with --json) machine-readable JSON on stdout. */
export interface Output {
  readonly json: boolean;
  /** Prints one result: JSON (one line) with --json, else the human text. */
  result(data: unknown, human: () => string): void;
  /** Progress and notes for humans: stderr, silent with --json. */
  note(text: string): void;
}

export function makeOutput(json: boolean): Output {
  return {
    json,
    result(data, human) {
      process.stdout.write(json ? `${JSON.stringify(data)}\n` : `${human()}\n`);
    },
    note(text) {
      if (!json) process.stderr.write(`${text}\n`);
    },
  };
}

/** Formats rows as an aligned two-column table. */
export function keyValues(rows: readonly (readonly [string, string])[]): string {
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n');
}

/** Reports an error the way the output mode wants and returns the exit code (2 for usage/config, 1 otherwise). */
export function reportError(err: unknown, json: boolean): number {
  const code = err instanceof UntangleError ? err.code : 'E_INTERNAL';
  const message = err instanceof Error ? err.message : String(err);
  if (json) process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  else process.stderr.write(`untangle: ${message}\n`);
  if (!(err instanceof UntangleError) && !json && err instanceof Error && err.stack) {
    process.stderr.write(`${err.stack}\n`);
  }
  return code === 'E_CONFIG' || code === 'E_USAGE' ? 2 : 1;
}
