import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkpointFiles } from './support/checkpoint-files';
import { bcl, bclInterruptedAtFirstStep, TINY_RECIPE as tiny, tmpDir, writeRecipe } from './support/cli';

test('bcl train runs a recipe and writes recipe.json, metrics.jsonl and checkpoints', () => {
  const dir = tmpDir();
  const out = path.join(dir, 'run');
  const result = bcl(['train', '--recipe', writeRecipe(dir, 'tiny.json', tiny), '--backend', 'cpu', '--out', out]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /backend: cpu/);
  assert.match(result.stdout, /done: 2 epochs, 4 steps on cpu/);
  // Not a terminal: plain progress lines instead of a bar.
  assert.match(result.stderr, /step 1\/4 epoch 1\/2 batch 1\/2 loss \d/);
  const metrics = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(metrics.filter((m) => m.scope === 'step').length, 4);
  assert.equal(metrics.filter((m) => m.scope === 'epoch').length, 2);
  assert.equal(JSON.parse(fs.readFileSync(path.join(out, 'recipe.json'), 'utf8')).method.temperature, 0.2);
  assert.equal(checkpointFiles(path.join(out, 'checkpoints')).length, 2);
});

test('bcl recipe show prints the resolved recipe with extends applied', () => {
  const result = bcl(['recipe', 'show', 'simclr_resnet18_b512-cos-200e_fashion-mnist-lt']);
  assert.equal(result.status, 0, result.stderr);
  const recipe = JSON.parse(result.stdout);
  assert.equal(recipe.method.name, 'simclr');
  assert.equal(recipe.backbone.width, 64);
  assert.equal(recipe.data.batchSize, 512);
  assert.deepEqual(recipe.data.dataset, { type: 'fashion-mnist', imbalanceRatio: 100 });
  assert.equal(recipe.data.mean[0], 0.286, 'inherited from the embedded recipe');
  assert.ok(!('extends' in recipe));
});

test('bcl train --threads 1 on wasm sets the CPU kernels to one thread, and says so in the banner', () => {
  const dir = tmpDir();
  const result = bcl(['train', '--recipe', writeRecipe(dir, 'tiny.json', { ...tiny, epochs: 1 }), '--backend', 'wasm', '--threads', '1', '--out', path.join(dir, 'run')]);
  assert.equal(result.status, 0, result.stderr);
  // oneDNN's OpenMP threads when the addon is built, else the single-threaded wasm binary.
  assert.match(result.stderr, /backend: wasm \(SIMD binary, 1 thread;.*(oneDNN [\d.]+ \([^,]+, 1 thread\)|native kernels unavailable)/);
});

test('bad input exits with the documented code and a message naming the problem', () => {
  const dir = tmpDir();
  const cases: { args: string[]; code: number; message: RegExp }[] = [
    {
      args: ['train', '--recipe', writeRecipe(dir, 'neg.json', { ...tiny, method: { name: 'simclr', temperature: -1 } })],
      code: 2,
      message: /recipe\.method\.temperature must be > 0, but got -1/,
    },
    {
      args: ['train', '--recipe', writeRecipe(dir, 'unknown.json', { ...tiny, plugins: [{ name: 'no-such-addon' }] })],
      code: 3,
      message: /unknown addon "no-such-addon"/,
    },
    {
      args: ['train', '--backend', 'cpu', '--out', path.join(dir, 'r'), '--recipe', writeRecipe(dir, 'nodata.json', { ...tiny, data: { dataset: { type: 'fashion-mnist', dir: path.join(dir, 'absent') } } })],
      code: 4,
      message: /apt-get install dataset-fashion-mnist/,
    },
    { args: ['train', '--recipe', 'no-such-recipe'], code: 2, message: /recipe "no-such-recipe" not found/ },
    { args: ['train', '--backend', 'gpu-please'], code: 12, message: /Allowed choices are tensorflow, webgpu, wasm, cpu/ },
    { args: ['trian'], code: 12, message: /Did you mean train\?/ },
    { args: ['train', '--threads', '0'], code: 12, message: /--threads must be an integer >= 1, but got "0"/ },
  ];
  for (const c of cases) {
    const result = bcl(c.args);
    assert.equal(result.status, c.code, `${c.args.join(' ')}\n${result.stderr}`);
    assert.match(result.stderr, c.message);
  }
});

test('SIGTERM finishes the step, writes a checkpoint, exits 130, and --resume completes the run', async () => {
  const dir = tmpDir();
  const out = path.join(dir, 'run');
  const recipe = writeRecipe(dir, 'long.json', { ...tiny, epochs: 50 });
  const { code, stderr } = await bclInterruptedAtFirstStep(['train', '--recipe', recipe, '--backend', 'cpu', '--out', out], 'SIGTERM');
  assert.equal(code, 130, stderr);
  assert.match(stderr, /stopped by request at step \d+/);
  const checkpoints = checkpointFiles(path.join(out, 'checkpoints'));
  assert.equal(checkpoints.length, 1);
  const resumed = bcl(['train', '--recipe', writeRecipe(dir, 'short.json', { ...tiny, epochs: 50 }), '--backend', 'cpu', '--out', out, '--resume']);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /resumed at epoch \d+, batch \d+/);
  assert.match(resumed.stdout, /done: 50 epochs, 100 steps/);
});
