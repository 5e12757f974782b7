// The README's library example runs as written (its import rewritten to this checkout).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';

import { packageRoot } from '../../src/paths.js';

test('README library example runs and produces a gradient', () => {
  const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README has a ```ts example');
  const entry = pathToFileURL(join(packageRoot(), 'dist', 'src', 'index.js')).href;
  const code = `${block[1].replace("from 'untangle'", `from '${entry}'`)}\nconsole.log(JSON.stringify({ loss: loss.item(), steps: opt.stepCount }));\n`;
  const dir = mkdtempSync(join(tmpdir(), 'untangle-readme-'));
  try {
    writeFileSync(join(dir, 'example.mjs'), code);
    const r = spawnSync(process.execPath, [join(dir, 'example.mjs')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(out.loss > 0 && out.steps === 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
