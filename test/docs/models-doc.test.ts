// docs/models.md is generated from the config schemas: it must match them (regenerate with `untangle models --markdown`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { catalogMarkdown } from '../../src/cli/commands/models.js';
import { packageRoot } from '../../src/paths.js';

test('docs/models.md matches the model config schemas', () => {
  const doc = readFileSync(join(packageRoot(), 'docs', 'models.md'), 'utf8');
  assert.ok(
    doc.endsWith(catalogMarkdown()),
    'docs/models.md is stale: regenerate it from `untangle models --markdown`',
  );
});
