import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bcl, TINY_RECIPE, tmpDir, writeRecipe } from './support/cli';

const ROOT = path.join(__dirname, '..', '..');

test('one pass lists every problem of a recipe: allowed values, the value received, did-you-mean, and the plugin docs page', () => {
  const dir = tmpDir();
  const file = writeRecipe(dir, 'typos.json', {
    ...TINY_RECIPE,
    method: { name: 'moco', temprature: 0.1 },
    data: { dataset: { type: 'cifar10', dir: 'x' }, batchSize: 4 },
    optimizer: { type: 'adam' },
    optimiser: {},
  });
  const result = bcl(['train', '--recipe', file, '--out', path.join(dir, 'never')], ROOT);
  assert.equal(result.status, 2, result.stderr);
  const lines = result.stderr.split('\n').filter((l) => l.startsWith('  - '));
  assert.deepEqual(lines.map((l) => l.replace(/ Hint: .*$/, '')), [
    '  - recipe.data.dataset.type must be one of "embedded-fashion-mnist-lt", "fashion-mnist", "cifar-10", "cifar-100", "image-list", "synthetic", but got "cifar10". Did you mean "cifar-10"?',
    '  - recipe.optimizer.type must be one of "sgd", "lars", but got "adam"',
    '  - recipe has unknown field "optimiser". Did you mean "optimizer"?',
    '  - recipe.method has unknown field "temprature". Did you mean "temperature"?',
  ]);
  // Run from the repository root, the page is shown relative to it.
  assert.match(result.stderr, /Hint: docs\/recipes\.md lists every field with its type and default\. moco's options: docs\/methods\/moco\.md\./);
  assert.ok(fs.existsSync(path.join(ROOT, 'docs', 'methods', 'moco.md')));
  assert.ok(!fs.existsSync(path.join(dir, 'never')));
});

test('did-you-mean for plugin names, recipe names, commands and options', () => {
  const dir = tmpDir();
  const cases: { args: string[]; code: number; message: RegExp }[] = [
    { args: ['train', '--recipe', writeRecipe(dir, 'p.json', { ...TINY_RECIPE, plugins: [{ name: 'bcll' }] })], code: 3, message: /recipe\.plugins\[0\]\.name: unknown addon "bcll"\. Did you mean "bcl"\? Known addons: bcl, focal, knn-monitor\./ },
    { args: ['train', '--recipe', writeRecipe(dir, 'm.json', { ...TINY_RECIPE, method: { name: 'smiclr' } })], code: 3, message: /recipe\.method\.name: unknown method "smiclr"\. Did you mean "simclr"\?/ },
    { args: ['recipe', 'show', 'simclr_resnet18-w8_b128-cos-5e_fashion-mnist-lt-embeded'], code: 2, message: /Did you mean "simclr_resnet18-w8_b128-cos-5e_fashion-mnist-lt-embedded"\?/ },
    { args: ['evl', 'runs/x'], code: 12, message: /Did you mean eval\?/ },
    { args: ['train', '--seeed', '1'], code: 12, message: /unknown option '--seeed'\n\(Did you mean --seed\?\)/ },
  ];
  for (const c of cases) {
    const result = bcl(c.args, dir);
    assert.equal(result.status, c.code, `${c.args.join(' ')}\n${result.stderr}`);
    assert.match(result.stderr, c.message, c.args.join(' '));
  }
});
