import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import { ERROR_EXIT_CODES } from '../core/errors';

test('docs/errors.md lists every error code with its exit code', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'errors.md'), 'utf8');
  for (const [code, exit] of Object.entries(ERROR_EXIT_CODES)) {
    assert.match(doc, new RegExp(`^\\| \`${code}\` \\| ${exit} \\|`, 'm'), `${code} (exit ${exit}) is missing from docs/errors.md`);
  }
});
