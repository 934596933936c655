/**
 * Regression tests for the failures found by fault and bad-input probing (issue 15: F1, F2, F5, ...).
 * Each drives the public API or the CLI as a user would and checks the documented outcome.
 */
import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isBclError, readMetricsLog, train } from '../core/index';
import { tinySetup } from './support/tiny-run';

const CLI = path.join(__dirname, '..', 'core', 'cli', 'main.js');

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-probe-'));
}

/** Runs the CLI; `shellPrefix` runs first in the same bash (e.g. a `ulimit`). */
function bcl(args: string[], shellPrefix = ''): { status: number | null; stderr: string } {
  const command = `${shellPrefix} exec "${process.execPath}" "${CLI}" ${args.map((a) => `'${a}'`).join(' ')}`;
  const result = spawnSync('bash', ['-c', command], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

function writeRecipe(dir: string, recipe: Record<string, unknown>): string {
  const file = path.join(dir, 'recipe-under-test.json');
  fs.writeFileSync(file, JSON.stringify(recipe));
  return file;
}

const tinyCli = {
  method: { name: 'simclr', projectionDim: 8 },
  backbone: { width: 2 },
  data: { dataset: { type: 'synthetic', size: 8, height: 8, width: 8 }, batchSize: 4 },
  epochs: 1,
  schedule: { warmupEpochs: 0 },
};

test('F1: a fresh start in a folder left by a run killed before its first checkpoint replaces the stale metrics log', async () => {
  const out = tmp();
  // What a SIGKILLed run leaves: a metrics log with step lines and no checkpoints/ content.
  const stale = { time: 'then', scope: 'step', step: 0, epoch: 1, values: { loss: 99 } };
  fs.writeFileSync(path.join(out, 'metrics.jsonl'), JSON.stringify(stale) + '\n' + JSON.stringify({ ...stale, step: 1 }) + '\n');
  const { registry, recipe } = tinySetup({ epochs: 1 });
  const logs: string[] = [];
  const { EventBus } = await import('../core/index');
  const events = new EventBus();
  events.on('log', (e) => logs.push(e.message));
  await train({ recipe, backend: 'cpu', container: registry, outDir: out, events });
  const steps = readMetricsLog(path.join(out, 'metrics.jsonl')).filter((e) => e.scope === 'step').map((e) => e.step);
  assert.deepEqual(steps, [...new Set(steps)], `no step twice, got ${steps.join(',')}`);
  assert.ok(!readMetricsLog(path.join(out, 'metrics.jsonl')).some((e) => (e as { values?: { loss?: number } }).values?.loss === 99), 'the stale lines are gone');
  assert.ok(logs.some((m) => m.includes('replaced') && m.includes('metrics.jsonl')), 'the replacement is logged');
});

test('F2: a run folder that cannot be created is IO_FAILED (exit 10) naming the path and the system reason', () => {
  const dir = tmp();
  // A regular file where a parent folder should be: mkdir fails with ENOTDIR for every user (root
  // included, unlike a mode-0555 folder), by the same code path as EROFS on a read-only mount.
  fs.writeFileSync(path.join(dir, 'file'), 'x');
  const out = path.join(dir, 'file', 'run');
  const result = bcl(['train', '--recipe', writeRecipe(dir, tinyCli), '--out', out, '--backend', 'cpu']);
  assert.equal(result.status, 10, result.stderr);
  assert.match(result.stderr, /cannot use run folder .*file\/run \(ENOTDIR/);
  assert.doesNotMatch(result.stderr, /internal error/);
});

test('F3: a batch larger than the dataset is RECIPE_INVALID naming the size, before anything is allocated', () => {
  const dir = tmp();
  const recipe = { extends: 'simclr_resnet18-w8_b128-cos-5e_fashion-mnist-lt-embedded', data: { batchSize: 100000 }, epochs: 1 };
  const result = bcl(['train', '--recipe', writeRecipe(dir, recipe), '--out', path.join(dir, 'run'), '--backend', 'cpu']);
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /recipe\.data\.batchSize must be at most the dataset's size, 2478 .* but got 100000/);
  assert.doesNotMatch(result.stderr, /internal error|memory access/);
});

test('F3: a batch that fits the dataset but not the wasm heap is RECIPE_INVALID before any tensor is allocated', () => {
  const dir = tmp();
  const recipe = { extends: 'simclr_resnet18-w8_b128-cos-5e_fashion-mnist-lt-embedded', data: { dataset: { type: 'synthetic', size: 16, height: 1024, width: 1024, channels: 3, numClasses: 4 }, batchSize: 16, mean: [0.5], std: [0.25] }, epochs: 1 };
  const result = bcl(['train', '--recipe', writeRecipe(dir, recipe), '--out', path.join(dir, 'run'), '--backend', 'wasm']);
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /recipe\.data\.batchSize 16 cannot fit the wasm backend's 4 GiB heap: .* holds at least 4\.9 GiB .*Lower data\.batchSize well below 13/);
  assert.doesNotMatch(result.stderr, /internal error|memory access/);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'run', 'checkpoints')), []);
});

test('F4: a synthetic dataset too large to allocate is a recipe error naming the fields', () => {
  const dir = tmp();
  const recipe = { ...tinyCli, data: { dataset: { type: 'synthetic', size: 2e9, height: 10000, width: 10000 }, batchSize: 4 } };
  const result = bcl(['train', '--recipe', writeRecipe(dir, recipe), '--out', path.join(dir, 'run'), '--backend', 'cpu']);
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /recipe\.data\.dataset.*size x height x width x channels must be at most 1073741824 bytes/);
  assert.doesNotMatch(result.stderr, /RangeError|internal error/);
});

test('F5: data.mean / data.std lengths must match the channel count (or be 1)', async () => {
  const oneChannel = { dataset: { type: 'synthetic', size: 8, height: 8, width: 8, channels: 1, numClasses: 2 }, batchSize: 4 };
  for (const [mean, std, pattern] of [
    [[0.5, 0.5, 0.5], [1], /recipe\.data\.mean must have 1 value or one per channel \(1 for .*\), but got 3/],
    [[0.5], [0.2, 0.2], /recipe\.data\.std must have 1 value or one per channel \(1 for .*\), but got 2/],
  ] as const) {
    const { registry, recipe } = tinySetup({ data: { ...oneChannel, mean, std } });
    await assert.rejects(train({ recipe, backend: 'cpu', container: registry }), (error: unknown) => isBclError(error) && error.code === 'RECIPE_INVALID' && pattern.test(error.message));
  }
  const { registry, recipe } = tinySetup({ epochs: 1, data: { dataset: { type: 'synthetic', size: 8, height: 8, width: 8, channels: 3, numClasses: 2 }, batchSize: 4, mean: [0.4, 0.5, 0.6], std: [0.2] } });
  await train({ recipe, backend: 'cpu', container: registry }); // per-channel mean with one std is fine
});

test('F8: a run folder whose recipe.json carries markup is refused by bcl report, naming the field; nothing is written', () => {
  const dir = tmp();
  const run = path.join(dir, 'run');
  fs.mkdirSync(run);
  const { recipe } = tinySetup();
  fs.writeFileSync(path.join(run, 'recipe.json'), JSON.stringify({ ...recipe, epochs: '<script>alert(1)</script>', data: { ...recipe.data, batchSize: '<img src=x onerror=alert(2)>' } }));
  const out = path.join(dir, 'report');
  const result = bcl(['report', run, '--out', out]);
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /recipe\.data\.batchSize must be a number/);
  assert.match(result.stderr, /recipe\.epochs must be a number/);
  assert.ok(!fs.existsSync(path.join(out, 'report.html')), 'no report written');
});

test('F7: bcl report that fails on a full disk leaves the previous report whole', () => {
  const dir = tmp();
  const run = path.join(dir, 'run');
  assert.equal(bcl(['train', '--recipe', writeRecipe(dir, tinyCli), '--out', run, '--backend', 'cpu']).status, 0);
  const out = path.join(dir, 'report');
  assert.equal(bcl(['report', run, '--out', out]).status, 0);
  const before = new Map(fs.readdirSync(out).map((f) => [f, fs.readFileSync(path.join(out, f))]));
  assert.ok(before.has('report.html') && before.size > 1, 'a report with charts');
  // A file-size limit (KiB) below one chart's size: the second report fails while writing charts.
  const smallest = Math.min(...[...before.values()].map((b) => b.length));
  const result = bcl(['report', run, '--out', out], `trap '' XFSZ; ulimit -f ${Math.max(1, Math.floor(smallest / 1024 / 2))};`);
  assert.equal(result.status, 10, result.stderr);
  assert.match(result.stderr, /EFBIG/);
  assert.deepEqual(fs.readdirSync(out).sort(), [...before.keys()].sort(), 'no new or missing files');
  for (const [file, bytes] of before) assert.ok(fs.readFileSync(path.join(out, file)).equals(bytes), `${file} unchanged`);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.partial-')), [], 'the staging folder is removed');
});
