import { ConfigError } from '../errors.js';

/** Parses an integer option value >= min, or throws a ConfigError naming the option. */
export function parseInteger(option: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${option} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

/** Parses a number option value in [min, max], or throws a ConfigError naming the option. */
export function parseNumber(option: string, raw: string, min: number, max = Infinity): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new ConfigError(`${option} must be a number in [${min}, ${max}], got "${raw}"`);
  }
  return n;
}
