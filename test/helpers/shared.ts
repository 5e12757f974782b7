import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { packageRoot } from '../../src/paths.js';

/** The shared folder beside the checkout (reference vectors, MovieLens copies), or null when absent. */
export const sharedDir = ((): string | null => {
  const dir = process.env.UNTANGLE_SHARED_DIR ?? join(packageRoot(), '..', 'shared');
  return existsSync(dir) ? dir : null;
})();

/** Skip reason for tests that need ../shared (false when it is there). */
export const skipNoShared: string | false = sharedDir
  ? false
  : '../shared is absent (reference vectors and MovieLens copies live there)';

/** A reference JSON file from ../shared/reference. */
export function reference<T>(name: string): T {
  if (!sharedDir) throw new Error('../shared is absent');
  return JSON.parse(readFileSync(join(sharedDir, 'reference', name), 'utf8')) as T;
}

/** Path of a MovieLens copy in ../shared/data, or null. */
export function sharedData(name: string): string | null {
  return sharedDir && existsSync(join(sharedDir, 'data', name)) ? join(sharedDir, 'data') : null;
}
