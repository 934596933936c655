import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bcl, TINY_RECIPE, writeRecipe } from './support/cli';
import { consumerProject, PACKAGE_ROOT } from './support/consumer-project';

const FIXTURES = path.join(PACKAGE_ROOT, 'test', 'fixtures');
const EXAMPLE = path.join(FIXTURES, 'bcl-plugin-example');
const ESM = path.join(FIXTURES, 'bcl-plugin-esm');

/** A project with bcl-ssl (symlinked, as a file: dependency installs it) and the two fixture plugin packages installed. */
function project(): string {
  return consumerProject({ 'bcl-plugin-example': EXAMPLE, 'bcl-plugin-esm': ESM });
}

test('bcl train --plugin loads a separate package, the recipe uses its add-on, and the next command repeats --plugin', () => {
  const dir = project();
  const recipe = writeRecipe(dir, 'tiny.json', { ...TINY_RECIPE, plugins: [{ name: 'loss-scale', factor: 2 }] });
  const result = bcl(['train', '--plugin', 'bcl-plugin-example', '--recipe', recipe, '--backend', 'cpu', '--out', 'runs/x'], dir);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /loss-scale: epoch 1 done with factor 2\n[\s\S]*loss-scale: epoch 2 done with factor 2\n/);
  assert.match(result.stdout, /next: bcl eval runs\/x --plugin bcl-plugin-example\n$/);
  assert.doesNotMatch(result.stderr, /already registered/);
  // The add-on's factor doubles the loss: same seed, factor 1 gives half the first step's loss.
  const once = bcl(['train', '--plugin', 'bcl-plugin-example', '--recipe', recipe, '--backend', 'cpu', '--out', 'runs/y', '--set', 'plugins.loss-scale.factor=1'], dir);
  assert.equal(once.status, 0, once.stderr);
  const firstLoss = (run: string) => JSON.parse(fs.readFileSync(path.join(dir, 'runs', run, 'metrics.jsonl'), 'utf8').split('\n')[0]).values.loss as number;
  assert.ok(Math.abs(firstLoss('x') - 2 * firstLoss('y')) < 1e-4 * firstLoss('x'), `${firstLoss('x')} vs 2 x ${firstLoss('y')}`);
  // Without the module the add-on is unknown, and the hint says how to load one.
  const without = bcl(['train', '--recipe', recipe, '--backend', 'cpu', '--out', 'runs/z'], dir);
  assert.equal(without.status, 3, without.stderr);
  assert.match(without.stderr, /unknown addon "loss-scale"[\s\S]*Hint: A third-party plugin loads with bcl train --plugin <package-or-path> or the recipe's "imports"/);
});

test('a recipe\'s "imports" loads packages (from the recipe folder) and relative paths (from the file that lists them), CommonJS and ES modules; eval finds them through recipe.json', () => {
  const dir = project();
  fs.mkdirSync(path.join(dir, 'recipes'));
  fs.cpSync(EXAMPLE, path.join(dir, 'local-plugin'), { recursive: true });
  const base = writeRecipe(path.join(dir, 'recipes'), 'base.json', { ...TINY_RECIPE, epochs: 1, imports: ['../local-plugin'] });
  const recipe = writeRecipe(path.join(dir, 'recipes'), 'with-imports.json', {
    extends: 'base',
    imports: ['bcl-plugin-esm'],
    plugins: [{ name: 'loss-scale' }, { name: 'train-banner', text: 'imported' }],
  });
  const result = bcl(['train', '--recipe', recipe, '--backend', 'cpu', '--out', 'runs/imp'], dir);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /train-banner: imported/);
  assert.match(result.stderr, /loss-scale: epoch 1 done/);
  const saved = JSON.parse(fs.readFileSync(path.join(dir, 'runs', 'imp', 'recipe.json'), 'utf8'));
  assert.deepEqual(saved.imports, [path.join(dir, 'local-plugin'), 'bcl-plugin-esm'], 'every layer\'s imports; relative paths made absolute');
  assert.ok(fs.existsSync(base));
  const evaluated = bcl(['eval', 'runs/imp', '--probe', 'knn', '--k', '2'], dir);
  assert.equal(evaluated.status, 0, evaluated.stderr);
  assert.ok(fs.existsSync(path.join(dir, 'runs', 'imp', 'eval.json')));
});

test('bcl plugins lists where each plugin came from', () => {
  const dir = project();
  const result = bcl(['plugins', '--plugin', 'bcl-plugin-example', '--plugin', './node_modules/bcl-plugin-esm'], dir);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^simclr +method +SimCLR.*\n +from bcl-ssl \(built-in\)$/m);
  const example = fs.realpathSync(path.join(dir, 'node_modules', 'bcl-plugin-example', 'index.js'));
  assert.match(result.stdout, new RegExp(`^loss-scale +addon +multiplies every loss by a factor and logs each epoch\\n +from bcl-plugin-example@1\\.2\\.0 via --plugin \\(${example.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\)$`, 'm'));
  assert.match(result.stdout, /^train-banner +addon .*\n +from bcl-plugin-esm@0\.3\.0 via --plugin \(.*bcl-plugin-esm.index\.js\)$/m);
});

test('a plugin module that cannot load is an error naming the module and the reason', () => {
  const dir = project();
  fs.writeFileSync(path.join(dir, 'throws.js'), "throw new TypeError('no GPU here');\n");
  fs.writeFileSync(path.join(dir, 'no-register.js'), 'exports.plugins = [];\nexports.version = 1;\n');
  fs.writeFileSync(path.join(dir, 'empty-register.js'), 'exports.register = () => {};\n');
  fs.writeFileSync(path.join(dir, 'clash.js'), "const { definePlugin, z } = require('bcl-ssl');\nexports.register = (bcl) => bcl.plugin(definePlugin({ name: 'simclr', kind: 'method', description: 'x', options: z.strictObject({}), create: () => ({}) }));\n");
  fs.writeFileSync(path.join(dir, 'imports.json'), JSON.stringify({ ...TINY_RECIPE, imports: ['bcl-plugin-missing'] }));
  fs.writeFileSync(path.join(dir, 'tiny.json'), JSON.stringify(TINY_RECIPE));
  const cases: { args: string[]; message: RegExp }[] = [
    { args: ['--plugin', 'bcl-plugin-missing'], message: /cannot load plugin module "bcl-plugin-missing" \(--plugin\): not found in node_modules of .* or any folder above\. Hint: Install it beside your recipe \(npm install bcl-plugin-missing\)/ },
    { args: ['--plugin', './nowhere.js'], message: /cannot load plugin module "\.\/nowhere\.js" \(--plugin\): nothing loadable at .*nowhere\.js \(MODULE_NOT_FOUND/ },
    { args: ['--plugin', './throws.js'], message: /cannot load plugin module "\.\/throws\.js" \(--plugin\): loading .*throws\.js threw TypeError: no GPU here\./ },
    { args: ['--plugin', './no-register.js'], message: /no-register\.js exports no register function \(it exports plugins, version\)/ },
    { args: ['--plugin', './empty-register.js'], message: /its register\(\) registered no plugin and no augmentation op/ },
    { args: ['--plugin', './clash.js'], message: /its register\(\) threw BclError: a plugin named "simclr" is already registered/ },
    { args: ['--recipe', 'imports.json'], message: /cannot load plugin module "bcl-plugin-missing" \(recipe imports\): not found/ },
  ];
  for (const c of cases) {
    const result = bcl(['train', '--backend', 'cpu', '--out', 'runs/never', ...(c.args.includes('--recipe') ? [] : ['--recipe', 'tiny.json']), ...c.args], dir);
    assert.equal(result.status, 11, `${c.args.join(' ')}\n${result.stderr}`);
    assert.match(result.stderr, c.message, c.args.join(' '));
  }
  assert.ok(!fs.existsSync(path.join(dir, 'runs', 'never')));
  // An override decides what loads: without the missing import the recipe resolves.
  const overridden = bcl(['recipe', 'show', 'imports.json', '--set', 'imports=[]'], dir);
  assert.equal(overridden.status, 0, overridden.stderr);
  assert.deepEqual(JSON.parse(overridden.stdout).imports, []);
});
