import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { container } from 'tsyringe';
import { z } from 'zod';
import { definePlugin } from '../plugin/plugin-definition';
import { registerPlugin } from '../plugin/plugin-registry';
import { loadRawRecipe } from './recipe-loader';
import { validateRecipe } from './resolve-recipe';
import { diffRecipes } from './recipe-diff';

const registry = container.createChildContainer();
registerPlugin(
  definePlugin({
    name: 'toy-method',
    kind: 'method',
    description: 'test method',
    options: z.strictObject({ temperature: z.number().gt(0).default(0.2) }),
    create: () => ({}),
  }),
  registry,
);
registerPlugin(
  definePlugin({ name: 'toy-addon', kind: 'addon', description: 'test addon', options: z.strictObject({ beta: z.number().min(0).max(1).default(0.97) }), create: () => ({}) }),
  registry,
);

const base = { method: { name: 'toy-method' }, data: { dataset: { type: 'synthetic' } } };

function writeRecipes(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-recipe-'));
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), typeof body === 'string' ? body : JSON.stringify(body));
  return dir;
}

test('defaults fill every field and plugin options get their schema defaults', () => {
  const recipe = validateRecipe(base, 'r', registry);
  assert.equal(recipe.method.temperature, 0.2);
  assert.equal(recipe.optimizer.type, 'sgd');
  assert.equal(recipe.optimizer.lr, 0.5);
  assert.equal(recipe.data.batchSize, 512);
  assert.equal(recipe.schedule.warmupEpochs, 10);
});

test('errors name the path, the rule and the value', () => {
  assert.throws(() => validateRecipe({ ...base, method: { name: 'toy-method', temperature: -1 } }, 'r', registry), /recipe\.method\.temperature must be > 0, but got -1/);
  assert.throws(() => validateRecipe({ ...base, epochs: 0, data: { dataset: { type: 'synthetic' }, batchSize: 'big' } }, 'r', registry), (e: Error) => {
    assert.match(e.message, /recipe\.epochs must be > 0, but got 0/);
    assert.match(e.message, /recipe\.data\.batchSize must be a number, but got "big"/);
    return true;
  });
  assert.throws(() => validateRecipe({ ...base, optimiser: {} }, 'r', registry), /recipe has unknown field "optimiser"/);
  assert.throws(() => validateRecipe({ ...base, plugins: [{ name: 'toy-addon', beta: 2 }] }, 'r', registry), /recipe\.plugins\[0\]\.beta must be <= 1, but got 2/);
});

test('unknown plugin names list the known ones', () => {
  assert.throws(() => validateRecipe({ ...base, plugins: [{ name: 'bcll' }] }, 'r', registry), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'UNKNOWN_PLUGIN');
    assert.match(e.message, /recipe\.plugins\[0\]\.name: unknown addon "bcll"/);
    assert.match(e.message, /Known addons: toy-addon/);
    return true;
  });
  assert.throws(() => validateRecipe({ ...base, method: { name: 'toy-addon' } }, 'r', registry), /"toy-addon" is an addon plugin, not a method/);
});

test('enum, literal and discriminator errors list the allowed values and the value received, with a did-you-mean', () => {
  assert.throws(() => validateRecipe({ ...base, data: { dataset: { type: 'cifar10' } } }, 'r', registry), (e: Error) => {
    assert.match(e.message, /recipe\.data\.dataset\.type must be one of "embedded-fashion-mnist-lt", "fashion-mnist", "cifar-10", "cifar-100", "image-list", "synthetic", but got "cifar10"\. Did you mean "cifar-10"\?/);
    assert.doesNotMatch(e.message, /type\.type|got nothing/);
    return true;
  });
  assert.throws(() => validateRecipe({ ...base, optimizer: { type: 'adam' } }, 'r', registry), /recipe\.optimizer\.type must be one of "sgd", "lars", but got "adam" Hint/);
  assert.throws(() => validateRecipe({ ...base, data: { dataset: {} } }, 'r', registry), /recipe\.data\.dataset\.type is required: one of "embedded-fashion-mnist-lt", /);
  assert.throws(() => validateRecipe({ ...base, backbone: { depth: 19 } }, 'r', registry), /recipe\.backbone\.depth must be one of 18, 34, 50, but got 19/);
  assert.throws(() => validateRecipe({ ...base, backbone: { stem: 'imagenett' } }, 'r', registry), /recipe\.backbone\.stem must be one of "cifar", "imagenet", but got "imagenett"\. Did you mean "imagenet"\?/);
  assert.throws(() => validateRecipe({ ...base, data: { dataset: { type: 'image-list', listFile: 'l', root: 'r', size: 'big' } } }, 'r', registry), /recipe\.data\.dataset\.size must be a number or an array, but got "big"/);
});

test('unknown fields and plugin names get a did-you-mean from the names the schema and the registry know', () => {
  assert.throws(() => validateRecipe({ ...base, optimiser: {} }, 'r', registry), /recipe has unknown field "optimiser"\. Did you mean "optimizer"\?/);
  assert.throws(() => validateRecipe({ ...base, data: { dataset: { type: 'synthetic', hieght: 4 } } }, 'r', registry), /recipe\.data\.dataset has unknown field "hieght"\. Did you mean "height"\?/);
  assert.throws(() => validateRecipe({ ...base, method: { name: 'toy-method', temprature: 1 } }, 'r', registry), /recipe\.method has unknown field "temprature"\. Did you mean "temperature"\?/);
  assert.throws(() => validateRecipe({ ...base, plugins: [{ name: 'toy-adon' }] }, 'r', registry), /unknown addon "toy-adon"\. Did you mean "toy-addon"\? Known addons: toy-addon\./);
  assert.throws(() => validateRecipe({ ...base, zzz: 1 }, 'r', registry), (e: Error) => /recipe has unknown field "zzz"/.test(e.message) && !/Did you mean/.test(e.message));
});

test('one pass reports the core problems, the plugin option problems and the unknown plugins together; option errors point to the docs page', () => {
  const documented = container.createChildContainer();
  registerPlugin(definePlugin({ name: 'doc-method', kind: 'method', description: 'd', docs: 'https://example.org/doc-method', options: z.strictObject({ k: z.number().int().default(1) }), create: () => ({}) }), documented);
  const recipe = { method: { name: 'doc-method', k: 0.5 }, plugins: [{ name: 'nope' }], epochs: 0, data: { dataset: { type: 'synthetic' } } };
  assert.throws(() => validateRecipe(recipe, 'r', documented), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'RECIPE_INVALID', 'not only unknown plugins');
    assert.match(e.message, /recipe\.epochs must be > 0, but got 0/);
    assert.match(e.message, /recipe\.method\.k must be an integer, but got 0\.5/);
    assert.match(e.message, /recipe\.plugins\[0\]\.name: unknown addon "nope"/);
    assert.match(e.message, /Hint: .*doc-method's options: https:\/\/example\.org\/doc-method\./);
    return true;
  });
});

test('extends composes recipes: later layers win, objects merge, a new type replaces', () => {
  const dir = writeRecipes({
    'method.json': { method: { name: 'toy-method', temperature: 0.5 }, epochs: 3, data: { dataset: { type: 'synthetic', size: 32 }, batchSize: 8 } },
    'addon.json': { plugins: [{ name: 'toy-addon' }] },
    'both.json': { extends: ['method', 'addon.json'], epochs: 4, data: { batchSize: 16 } },
    'other-data.json': { extends: 'both', data: { dataset: { type: 'embedded-fashion-mnist-lt' } } },
  });
  const both = validateRecipe(loadRawRecipe(path.join(dir, 'both.json')), 'both', registry);
  assert.equal(both.method.temperature, 0.5);
  assert.equal(both.epochs, 4);
  assert.equal(both.data.batchSize, 16);
  assert.deepEqual(both.plugins, [{ name: 'toy-addon', beta: 0.97 }]);
  assert.equal(both.data.dataset.type === 'synthetic' && both.data.dataset.size, 32);
  const other = validateRecipe(loadRawRecipe(path.join(dir, 'other-data.json')), 'other', registry);
  assert.deepEqual(other.data.dataset, { type: 'embedded-fashion-mnist-lt' });
});

test('syntax errors give line and column; cycles are refused', () => {
  const dir = writeRecipes({ 'bad.json': '{\n  "epochs": 2,\n}', 'a.json': { extends: 'b' }, 'b.json': { extends: 'a' } });
  assert.throws(() => loadRawRecipe(path.join(dir, 'bad.json')), /bad\.json:3:1: invalid JSON/);
  assert.throws(() => loadRawRecipe(path.join(dir, 'a.json')), /recipe extends itself: a\.json -> b\.json -> a\.json/);
  assert.throws(() => loadRawRecipe(path.join(dir, 'missing.json')), /recipe "[^"]*missing\.json" not found/);
});

test('recipe differences are listed by path and logging changes are harmless', () => {
  const a = validateRecipe(base, 'a', registry);
  const b = validateRecipe({ ...base, logging: { everySteps: 5 }, method: { name: 'toy-method', temperature: 0.1 } }, 'b', registry);
  const diff = diffRecipes(a, b);
  assert.deepEqual(diff.map((d) => [d.path, d.harmless]), [['logging.everySteps', true], ['method.temperature', false]]);
});

test('extends reads only .json recipe files, and a file that is not JSON is never echoed', () => {
  const dir = writeRecipes({ 'by-path.json': { extends: '/etc/passwd' }, 'secret.json': 'root:x:0:0:root:/root:/bin/bash\n', 'leaky.json': { extends: 'secret.json' } });
  assert.throws(() => loadRawRecipe(path.join(dir, 'by-path.json')), (e: unknown) => e instanceof Error && /recipe "\/etc\/passwd" is not a \.json file/.test(e.message) && !e.message.includes('root:x'));
  assert.throws(() => loadRawRecipe(path.join(dir, 'leaky.json')), (e: unknown) => e instanceof Error && /secret\.json(:1:1)?: invalid JSON/.test(e.message) && !e.message.includes('root:x'));
});
