import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PACKAGE_ROOT } from './support/consumer-project';

/** Where users' code may import from: the package's public entry points and Node's own modules. */
const PUBLIC = /^(bcl-ssl|bcl-ssl\/plugins|bcl-ssl\/augment|node:[a-z/_]+)$/;
/** Pages written for contributors to core itself, whose examples show its internals on purpose. */
const INTERNALS_PAGES = new Set(['wasm-kernels.md']);

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : markdownFiles(file);
    return e.name.endsWith('.md') ? [file] : [];
  });
}

test('code examples in README and docs/ import only the public entry points (or the reader\'s own files)', () => {
  const pages = [path.join(PACKAGE_ROOT, 'README.md'), ...markdownFiles(path.join(PACKAGE_ROOT, 'docs'))].filter((f) => !INTERNALS_PAGES.has(path.basename(f)));
  const offenders: string[] = [];
  let checked = 0;
  for (const page of pages) {
    const text = fs.readFileSync(page, 'utf8');
    for (const block of text.matchAll(/```(?:ts|js|mjs)\n([\s\S]*?)```/g)) {
      for (const m of block[1].matchAll(/(?:from\s+|require\(|import\s+)'([^']+)'/g)) {
        checked++;
        const specifier = m[1];
        // The reader's own modules ('./pixel-noise-op', '../src/index') are theirs to import.
        const ownFile = specifier.startsWith('.') && !/(^|\/)(core|plugins)\//.test(specifier);
        if (!PUBLIC.test(specifier) && !ownFile) offenders.push(`${path.relative(PACKAGE_ROOT, page)}: '${specifier}'`);
      }
    }
  }
  assert.ok(checked > 10, `found ${checked} imports`);
  assert.deepEqual(offenders, []);
});
