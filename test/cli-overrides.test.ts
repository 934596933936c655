import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bcl, TINY_RECIPE, tmpDir, writeRecipe } from './support/cli';

const packageJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };

test('bcl --version prints the version of package.json', () => {
  const result = bcl(['--version']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), packageJson.version);
});

test('bcl train --set and the shorthands change the run, and recipe.json records them', () => {
  const dir = tmpDir();
  const out = path.join(dir, 'run');
  const result = bcl([
    'train', '--recipe', writeRecipe(dir, 'tiny.json', TINY_RECIPE), '--backend', 'cpu', '--out', out,
    '--set', 'method.temperature=0.1', '--set', 'checkpoint.keepLast=1', '--epochs', '1', '--seed', '3', '--batch-size', '2',
  ]);
  assert.equal(result.status, 0, result.stderr);
  // 8 samples in batches of 2 for 1 epoch: 4 steps (the recipe file says 2 epochs of 2 steps).
  assert.match(result.stdout, /done: 1 epochs, 4 steps on cpu/);
  const recipe = JSON.parse(fs.readFileSync(path.join(out, 'recipe.json'), 'utf8'));
  assert.equal(recipe.method.temperature, 0.1);
  assert.equal(recipe.checkpoint.keepLast, 1);
  assert.equal(recipe.epochs, 1);
  assert.equal(recipe.seed, 3);
  assert.equal(recipe.data.batchSize, 2);
  assert.deepEqual(recipe.overrides, ['method.temperature=0.1', 'checkpoint.keepLast=1', 'epochs=1', 'seed=3', 'data.batchSize=2']);
});

test('--set parses each value by the schema type at its path', () => {
  const dir = tmpDir();
  const file = writeRecipe(dir, 'tiny.json', { ...TINY_RECIPE, plugins: [{ name: 'focal' }, { name: 'bcl' }] });
  const result = bcl([
    'recipe', 'show', file,
    '--set', 'description=123', // a string field keeps digits as text
    '--set', 'data.dropLast=false',
    '--set', 'checkpoint.everySteps=null',
    '--set', 'augmentation.cropScale=[0.2,1]',
    '--set', 'backbone.stem=imagenet', // an enum: the bare word
    '--set', 'plugins.focal.gamma=3', // a plugin selected by name
    '--set', 'plugins[1].beta=0.9', // or by index
    '--set', 'data.dataset={"type":"synthetic","size":16}',
  ]);
  assert.equal(result.status, 0, result.stderr);
  const recipe = JSON.parse(result.stdout);
  assert.equal(recipe.description, '123');
  assert.equal(recipe.data.dropLast, false);
  assert.equal(recipe.checkpoint.everySteps, null);
  assert.deepEqual(recipe.augmentation.cropScale, [0.2, 1]);
  assert.equal(recipe.backbone.stem, 'imagenet');
  assert.equal(recipe.plugins[0].gamma, 3);
  assert.equal(recipe.plugins[1].beta, 0.9);
  assert.equal(recipe.data.dataset.size, 16);
  assert.equal(recipe.data.dataset.height, 8, 'the default of the replaced dataset object');
});

test('bad overrides fail before training with the path-qualified recipe errors or a usage error', () => {
  const dir = tmpDir();
  const file = writeRecipe(dir, 'tiny.json', TINY_RECIPE);
  const cases: { args: string[]; code: number; message: RegExp }[] = [
    { args: ['--set', 'data.batchSize=big'], code: 2, message: /tiny\.json with --set data\.batchSize=big is invalid:\n {2}- recipe\.data\.batchSize must be a number, but got "big"/ },
    { args: ['--epochs', '0'], code: 2, message: /recipe\.epochs must be > 0, but got 0/ },
    { args: ['--seed', '1.5'], code: 2, message: /recipe\.seed must be an integer, but got 1\.5/ },
    { args: ['--set', 'method.temperature=-1'], code: 2, message: /recipe\.method\.temperature must be > 0, but got -1/ },
    { args: ['--set', 'epochs'], code: 12, message: /--set "epochs": expected path=value/ },
    { args: ['--set', '=3'], code: 12, message: /the path before "=" is empty/ },
    { args: ['--set', 'plugins.bcl.beta=1'], code: 12, message: /recipe\.plugins has no entry named "bcl" \(it lists nothing\)/ },
    { args: ['--set', 'epochs.count=1'], code: 12, message: /recipe\.epochs is 2, not an object or list/ },
  ];
  for (const c of cases) {
    const result = bcl(['train', '--recipe', file, '--backend', 'cpu', '--out', path.join(dir, 'never'), ...c.args]);
    assert.equal(result.status, c.code, `${c.args.join(' ')}\n${result.stderr}`);
    assert.match(result.stderr, c.message, c.args.join(' '));
  }
  assert.ok(!fs.existsSync(path.join(dir, 'never')), 'nothing was written');
});
