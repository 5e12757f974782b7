import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The untangle package root (the folder holding its package.json), found by walking up from this module. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'untangle') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('untangle: cannot find the package root (package.json named "untangle")');
    dir = up;
  }
}
