import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../core/util/package-root';

// The vendored fixtures must stay the team's numbers: where the master copy sits beside the
// repository (shared/reference/, as on the team's machines), both copies must be identical.
const vendored = path.join(packageRoot(), 'test', 'fixtures', 'reference');
const master = path.join(packageRoot(), '..', 'shared', 'reference');
const files = ['bcl-losses.json', 'augment-pil.json'];

test('vendored reference fixtures exist for a clone with nothing beside it', () => {
  for (const file of files) assert.ok(fs.existsSync(path.join(vendored, file)), `${file} missing from ${vendored}`);
});

test('vendored reference fixtures equal the master copy', { skip: fs.existsSync(master) ? false : `no ${master} beside this clone` }, () => {
  for (const file of files) {
    const a = fs.readFileSync(path.join(vendored, file));
    const b = fs.readFileSync(path.join(master, file));
    assert.ok(a.equals(b), `${file} differs from ${master}/${file}: copy it again into test/fixtures/reference/`);
  }
});
