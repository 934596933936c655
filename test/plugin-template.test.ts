import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PACKAGE_ROOT } from './support/consumer-project';

const TEMPLATE = path.join(PACKAGE_ROOT, 'docs', 'plugin-template');

/**
 * docs/plugin-template as a plugin author gets it: copied out of the repository, with its
 * development dependencies where `npm install` puts them (bcl-ssl as the `file:` link its
 * package.json names, TypeScript and @types/node linked from this checkout), then `npm test`:
 * tsc, then the contract suite on its method and add-on.
 */
test('the plugin template builds and passes the exported contract suite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-template-'));
  fs.cpSync(TEMPLATE, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|dist)$/.test(src) });
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(path.join(modules, '@types'), { recursive: true });
  fs.mkdirSync(path.join(modules, '.bin'));
  fs.symlinkSync(PACKAGE_ROOT, path.join(modules, 'bcl-ssl'), 'dir');
  fs.symlinkSync(path.join(PACKAGE_ROOT, 'node_modules', 'typescript'), path.join(modules, 'typescript'), 'dir');
  fs.symlinkSync(path.join(PACKAGE_ROOT, 'node_modules', '@types', 'node'), path.join(modules, '@types', 'node'), 'dir');
  fs.symlinkSync('../typescript/bin/tsc', path.join(modules, '.bin', 'tsc'));
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  assert.equal(manifest.devDependencies['bcl-ssl'], 'file:../..', 'the template builds against this repository');
  // Without NODE_TEST_CONTEXT, which makes a nested `node --test` report to this runner instead of printing.
  const { NODE_TEST_CONTEXT: _nested, ...env } = process.env;
  const result = spawnSync('npm', ['test'], { cwd: dir, encoding: 'utf8', env: { ...env, BCL_BACKEND: '' } });
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /# tests 3\n# suites 0\n# pass 3\n# fail 0/);
  assert.doesNotMatch(result.stdout + result.stderr, /already registered/);
});
