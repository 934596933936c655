import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ESLint } from 'eslint';

/** The repository root (this file runs as dist/test/lint-rules.test.js). */
const ROOT = path.resolve(__dirname, '..', '..');
const CONFIG = path.join(ROOT, '.ci', 'eslint.config.mjs');

/** Writes `files` (path -> source) into a fresh folder laid out like the repository and lints them there. */
async function lintTree(files: Record<string, string>): Promise<Map<string, string[]>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-lint-'));
  try {
    for (const [file, source] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), source);
    }
    const eslint = new ESLint({ cwd: dir, overrideConfigFile: CONFIG });
    const results = await eslint.lintFiles(['core', 'plugins']);
    return new Map(results.map((r) => [path.relative(dir, r.filePath), r.messages.map((m) => `${m.ruleId}: ${m.message}`)]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const tree: Record<string, string> = {
  'core/index.ts': "export { helper } from './data/helper';\n",
  'core/data/helper.ts': "export const helper = 1;\n",
  'core/cycle-a.ts': "import { b } from './cycle-b';\nexport const a = () => b;\n",
  'core/cycle-b.ts': "import { a } from './cycle-a';\nexport const b = () => a;\n",
  'core/data/uses-plugin.ts': "import { good } from '../../plugins/good/index';\nexport const x = good;\n",
  'core/cli/main.ts': "import { good } from '../../plugins/good/index';\nexport const y = good;\n",
  'plugins/good/index.ts': "import { helper } from '../../core/index';\nimport { local } from './local';\nexport const good = helper + local;\n",
  'plugins/good/local.ts': "export const local = 2;\n",
  'plugins/internal/index.ts': "import { helper } from '../../core/data/helper';\nexport const internal = helper;\n",
  'plugins/sibling/index.ts': "import { good } from '../good/index';\nexport const sibling = good;\n",
  'plugins/sibling/sibling.test.ts': "import { good } from '../index';\nexport const t = good;\n",
  'plugins/index.ts': "export { good } from './good/index';\n",
};

test('the lint refuses core internals and other plugins in plugins, plugins in core (outside the composition roots), and import cycles', async () => {
  const found = await lintTree(tree);
  const rule = (file: string) => (found.get(file) ?? ['(not linted)']).map((m) => m.split(':')[0]);
  assert.deepEqual(rule('plugins/internal/index.ts'), ['no-restricted-imports']);
  assert.match(found.get('plugins/internal/index.ts')![0], /A plugin imports only core\/index/);
  assert.deepEqual(rule('plugins/sibling/index.ts'), ['no-restricted-imports']);
  assert.deepEqual(rule('core/data/uses-plugin.ts'), ['no-restricted-imports']);
  assert.match(found.get('core/data/uses-plugin.ts')![0], /core knows no plugin/);
  assert.deepEqual(rule('core/cycle-a.ts'), ['import-x/no-cycle']);
  assert.deepEqual(rule('core/cycle-b.ts'), ['import-x/no-cycle']);
  for (const clean of ['plugins/good/index.ts', 'core/cli/main.ts', 'plugins/sibling/sibling.test.ts', 'plugins/index.ts', 'core/index.ts']) {
    assert.deepEqual(found.get(clean), [], clean);
  }
});
