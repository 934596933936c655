import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { consumerProject, PACKAGE_ROOT } from './support/consumer-project';

function runModule(dir: string, file: string, source: string): { status: number | null; stdout: string; stderr: string } {
  fs.writeFileSync(path.join(dir, file), source);
  const result = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', env: { ...process.env, BCL_BACKEND: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("a plugin in a package that depends on bcl-ssl uses bcl-ssl's tfjs: one copy, no 'already registered' warnings", () => {
  const dir = consumerProject();
  const result = runModule(dir, 'plugin.mjs', `
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import { definePlugin, registerPlugin, tf, train, validateRecipe, z } from 'bcl-ssl';
import { registerBuiltinPlugins } from 'bcl-ssl/plugins';
// The framework's own copy, resolved from where bcl-ssl really lives.
const frameworkTf = createRequire(fs.realpathSync('node_modules/bcl-ssl/package.json'))('@tensorflow/tfjs');
registerBuiltinPlugins();
let calls = 0;
registerPlugin(definePlugin({ name: 'halve', kind: 'addon', description: 'halves the loss', options: z.strictObject({}),
  create: () => ({ hooks: { transformLoss: (loss) => { calls++; return tf.tidy(() => tf.mul(loss, 0.5)); } } }) }));
const recipe = validateRecipe({ method: { name: 'simclr', projectionDim: 8 }, plugins: [{ name: 'halve' }], backbone: { width: 2 },
  data: { dataset: { type: 'synthetic', size: 8, height: 8, width: 8 }, batchSize: 4 }, epochs: 1, schedule: { warmupEpochs: 0 } });
const result = await train({ recipe, backend: 'cpu' });
console.log(JSON.stringify({ same: tf.engine() === frameworkTf.engine(), steps: result.steps, calls, tensors: tf.memory().numTensors }));
`);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout.trim().split('\n').at(-1)!), { same: true, steps: 2, calls: 2, tensors: 0 });
  assert.doesNotMatch(result.stderr, /already registered/);
  assert.ok(!fs.existsSync(path.join(dir, 'node_modules', '@tensorflow')), 'the project itself has no tfjs');
});

test("the README's library example imports resolve in a consumer package (no undeclared reflect-metadata)", () => {
  const readme = fs.readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const block = /## As a library[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README has a library example');
  const imports = block[1].split('\n').filter((line) => line.startsWith('import '));
  assert.ok(imports.some((line) => /from 'bcl-ssl'/.test(line)));
  const result = runModule(consumerProject(), 'readme.mjs', `${imports.join('\n')}\nconsole.log('imports ok');\n`);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /imports ok/);
});
