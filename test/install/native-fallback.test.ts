// Installing never fails without a working C compiler: the build script records why and exits 0, and the kernel
// loader then reports that reason (untangle falls back to the portable kernels).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadNativeAddon } from '../../src/engine/index.js';
import { packageRoot } from '../../src/paths.js';

function copyPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'untangle-install-'));
  const root = packageRoot();
  for (const p of ['binding.gyp', 'native', 'scripts']) cpSync(join(root, p), join(dir, p), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'untangle', version: '0.0.0' }));
  return dir;
}

test('a failing compiler leaves a status file, exit code 0 and a clear loader message', () => {
  const dir = copyPackage();
  try {
    const r = spawnSync(process.execPath, [join(dir, 'scripts', 'build-native.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, CC: '/bin/false', CXX: '/bin/false', CC_target: '/bin/false' },
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /portable TypeScript kernels will be used/);
    const status = JSON.parse(readFileSync(join(dir, 'build', 'native-status.json'), 'utf8'));
    assert.equal(status.ok, false);
    assert.ok(!existsSync(join(dir, 'build', 'Release', 'untangle_kernels.node')));
    const load = loadNativeAddon(dir);
    assert.equal(load.ok, false);
    assert.match(load.ok ? '' : load.reason, /install-time build failed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('UNTANGLE_SKIP_NATIVE=1 skips the build and says so', () => {
  const dir = copyPackage();
  try {
    const r = spawnSync(process.execPath, [join(dir, 'scripts', 'build-native.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, UNTANGLE_SKIP_NATIVE: '1' },
    });
    assert.equal(r.status, 0);
    const load = loadNativeAddon(dir);
    assert.match(load.ok ? '' : load.reason, /UNTANGLE_SKIP_NATIVE=1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no build attempted at all is explained too', () => {
  const dir = copyPackage();
  try {
    const load = loadNativeAddon(dir);
    assert.match(load.ok ? '' : load.reason, /no build was attempted/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
