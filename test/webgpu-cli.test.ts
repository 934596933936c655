import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useSwiftShaderUnlessConfigured, webgpuUnavailable } from './support/webgpu';

/**
 * `bcl train --backend webgpu` end to end from the command line (SwiftShader on CI), and the
 * errors of the GPU path: packages missing, no adapter, and `auto` passing over a software adapter.
 */

const CLI = path.join(__dirname, '..', 'core', 'cli', 'main.js');
const PRELOAD_HIDING_WEBGPU = path.join(__dirname, 'support', 'hide-webgpu-packages.js');

function bcl(args: string[], env: NodeJS.ProcessEnv, preload: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [...preload.flatMap((p) => ['-r', p]), CLI, ...args], { encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tinyRecipe(): { dir: string; recipe: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-webgpu-cli-'));
  const recipe = path.join(dir, 'tiny.json');
  fs.writeFileSync(
    recipe,
    JSON.stringify({
      method: { name: 'simclr', projectionDim: 8 },
      plugins: [{ name: 'bcl' }],
      backbone: { width: 2 },
      data: { dataset: { type: 'synthetic', size: 8, height: 8, width: 8 }, batchSize: 4 },
      epochs: 2,
      schedule: { warmupEpochs: 1 },
    }),
  );
  return { dir, recipe };
}

const swiftShaderEnv = { ...useSwiftShaderUnlessConfigured(), BCL_BACKEND: '' };

test('bcl train --backend webgpu trains SimCLR + BCL end to end, names the adapter, and bcl eval reads the run on webgpu', async (t) => {
  const reason = await webgpuUnavailable();
  if (reason !== undefined) return t.skip(reason);
  const { dir, recipe } = tinyRecipe();
  const out = path.join(dir, 'run');
  const trained = bcl(['train', '--recipe', recipe, '--backend', 'webgpu', '--out', out], swiftShaderEnv);
  assert.equal(trained.status, 0, trained.stderr);
  assert.match(trained.stderr, /backend: webgpu \(\S+ \S+ .*max buffer [\d.]+ GiB/);
  assert.match(trained.stdout, /done: 2 epochs, 4 steps on webgpu/);
  assert.doesNotMatch(trained.stderr, /synchronously reading data/, 'no synchronous host read on webgpu');
  const evaluated = bcl(['eval', out, '--probe', 'knn'], { ...swiftShaderEnv, BCL_BACKEND: 'webgpu' });
  assert.equal(evaluated.status, 0, evaluated.stderr);
  assert.ok(JSON.parse(fs.readFileSync(path.join(out, 'eval.json'), 'utf8')));
});

test('without the optional GPU packages, --backend webgpu exits 6 naming the package and the install command', () => {
  const { dir, recipe } = tinyRecipe();
  const result = bcl(['train', '--recipe', recipe, '--backend', 'webgpu', '--out', path.join(dir, 'run')], swiftShaderEnv, [PRELOAD_HIDING_WEBGPU]);
  assert.equal(result.status, 6, result.stderr);
  assert.match(result.stderr, /package webgpu not loadable \(Cannot find module 'webgpu'\)/);
  assert.match(result.stderr, /npm install webgpu @tensorflow\/tfjs-backend-webgpu/);
  assert.equal(fs.existsSync(path.join(dir, 'run', 'checkpoints')), false, 'nothing trained');
});

test('with no adapter (no Vulkan driver), --backend webgpu exits 6 with the cause and the fixes', () => {
  const { dir, recipe } = tinyRecipe();
  const result = bcl(['train', '--recipe', recipe, '--backend', 'webgpu', '--out', path.join(dir, 'run')], { ...swiftShaderEnv, VK_ICD_FILENAMES: path.join(dir, 'no-such-icd.json') });
  assert.equal(result.status, 6, result.stderr);
  assert.match(result.stderr, /no WebGPU adapter found/);
  assert.match(result.stderr, /VK_ICD_FILENAMES/);
  assert.match(result.stderr, /--backend wasm/);
});

test('auto never picks a software adapter: with only SwiftShader, bcl train runs on wasm', async (t) => {
  const reason = await webgpuUnavailable();
  if (reason !== undefined) return t.skip(reason);
  const { dir, recipe } = tinyRecipe();
  const result = bcl(['train', '--recipe', recipe, '--out', path.join(dir, 'run')], { ...swiftShaderEnv, BCL_WASM_THREADS: '1' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /backend: (wasm|tensorflow) /);
});
