import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BclError, isBclError } from '../../errors';
import { DatasetError } from './dataset-error';

test('a DatasetError is a BclError with the mapped project code', () => {
  const missing = new DatasetError('not-found', 'file does not exist', { file: '/x/y.gz', hint: 'install it' });
  assert.ok(missing instanceof BclError);
  assert.ok(isBclError(missing));
  assert.equal(missing.name, 'BclError');
  assert.equal(missing.code, 'DATASET_MISSING');
  assert.equal(missing.exitCode, 4);
  assert.equal(missing.reason, 'not-found');
  assert.equal(missing.file, '/x/y.gz');
  assert.equal(missing.message, '/x/y.gz: file does not exist Hint: install it');
});

test('file problems are DATASET_CORRUPT, bad options RECIPE_INVALID', () => {
  for (const reason of ['truncated', 'bad-size', 'bad-magic', 'bad-dtype', 'corrupt', 'count-mismatch', 'bad-label'] as const) {
    assert.equal(new DatasetError(reason, 'm').code, 'DATASET_CORRUPT', reason);
  }
  assert.equal(new DatasetError('bad-option', 'm').code, 'RECIPE_INVALID');
  const cause = new Error('zlib');
  assert.equal(new DatasetError('corrupt', 'm', { cause }).cause, cause);
});
