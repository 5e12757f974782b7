import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { packageRoot } from './paths.js';

/** What code produced a result: the package version and, in a git checkout, the commit (and whether it was dirty). */
export interface CodeVersion {
  version: string;
  commit?: string;
  dirty?: boolean;
}

/** The running untangle's version, read once per call (cheap: one file read and at most two git calls). */
export function codeVersion(): CodeVersion {
  const root = packageRoot();
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', 'HEAD');
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return { version, commit, dirty };
  } catch {
    return { version };
  }
}

/** "0.1.0 (abc1234, dirty)" */
export function formatVersion(v: CodeVersion): string {
  return v.commit ? `${v.version} (${v.commit.slice(0, 7)}${v.dirty ? ', dirty' : ''})` : v.version;
}
