import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { definePlugin, registerPlugin, RunEvents, train, z } from '../core/index';
import { checkpointFiles } from './support/checkpoint-files';
import { bcl, TINY_RECIPE } from './support/cli';
import { pythonSkipReason, runPythonScript } from './support/python';
import { tinySetup } from './support/tiny-run';

/**
 * The CSV and TensorBoard sinks against metrics.jsonl. The TensorBoard files are read by an
 * independent Python reader (test/support/read-tfevents.py: its own bitwise CRC32C, Debian's
 * python3-protobuf for the Event messages), not by code of this package.
 */

const skipTensorboard = pythonSkipReason(['google.protobuf'], 'python3-protobuf');

interface JsonlEvent {
  time: string;
  scope: 'step' | 'epoch';
  epoch: number;
  step: number;
  values: Record<string, number | null | (number | null)[]>;
}
interface TbEvent {
  wall_time: number;
  step: number;
  file_version?: string;
  scalars: Record<string, number>;
}

/** An add-on logging what real plugins log besides loss: an array metric, an awkward name, a NaN. */
const oddMetrics = definePlugin({
  name: 'odd-metrics',
  kind: 'addon',
  description: 'logs an array, a name with a comma and quotes, and a NaN every epoch',
  options: z.strictObject({}),
  create: ({ resolve }) => {
    const events = resolve(RunEvents);
    return {
      hooks: {
        onEpochEnd: ({ run, epoch }) =>
          void events.emit('metrics', { scope: 'epoch', epoch, step: epoch * run.stepsPerEpoch - 1, values: { 'odd/hist': [epoch, 0.1 * epoch], 'odd/"a,b"': 1 / 3, 'odd/nan': NaN } }),
      },
    };
  },
});

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-sinks-'));
}

async function trainTiny(dir: string, resume = false, sinks: string[] = ['jsonl', 'csv', 'tensorboard']): Promise<void> {
  const { registry, recipe } = tinySetup({ logging: { everySteps: 1, sinks }, plugins: [{ name: 'odd-metrics' }] }, (c) => registerPlugin(oddMetrics, c));
  await train({ recipe, backend: 'cpu', container: registry, outDir: dir, resume });
}

function readJsonl(dir: string): JsonlEvent[] {
  return fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JsonlEvent);
}

function eventFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.includes('tfevents'));
}

function readTensorboard(dir: string): TbEvent[] {
  const files = eventFiles(dir);
  assert.equal(files.length, 1, `one event file in ${dir}: ${files.join(', ')}`);
  // The reader prints non-finite floats as strings ("nan"), which JSON cannot hold.
  return runPythonScript('read-tfevents.py', [path.join(dir, files[0])])
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l, (_key, v: unknown) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v)) as TbEvent);
}

/** RFC 4180 rows (quoted fields may hold commas and doubled quotes; no line breaks in our data). */
function readCsv(dir: string): string[][] {
  const text = fs.readFileSync(path.join(dir, 'metrics.csv'), 'utf8');
  assert.ok(text.endsWith('\r\n'));
  return text.slice(0, -2).split('\r\n').map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1])).slice(0, 7));
}

const same = (a: number, b: number): boolean => (Number.isNaN(a) && Number.isNaN(b)) || a === b;

/** Every scalar of metrics.jsonl appears in the TensorBoard file at its step, as float32, and nothing else does. */
function assertTensorboardMatches(jsonl: JsonlEvent[], tb: TbEvent[]): void {
  assert.equal(tb[0].file_version, 'brain.Event:2');
  const expected = jsonl
    .map((e) => ({ e, scalars: Object.entries(e.values).filter(([, v]) => !Array.isArray(v)) }))
    .filter(({ scalars }) => scalars.length > 0);
  assert.equal(tb.length - 1, expected.length, 'one Event per metrics line with scalars');
  expected.forEach(({ e, scalars }, i) => {
    const got = tb[i + 1];
    assert.equal(got.step, e.step);
    assert.ok(Math.abs(got.wall_time - Date.parse(e.time) / 1000) < 2, `wall_time ${got.wall_time} vs ${e.time}`);
    assert.deepEqual(Object.keys(got.scalars).sort(), scalars.map(([name]) => `${e.scope}/${name}`).sort());
    for (const [name, value] of scalars) {
      const want = value === null ? NaN : Math.fround(value as number);
      assert.ok(same(got.scalars[`${e.scope}/${name}`], want), `${e.scope}/${name} at step ${e.step}: ${got.scalars[`${e.scope}/${name}`]} vs ${want}`);
    }
  });
}

/** metrics.csv holds exactly metrics.jsonl's values, arrays element-wise, full double precision. */
function assertCsvMatches(jsonl: JsonlEvent[], rows: string[][]): void {
  assert.deepEqual(rows[0], ['time', 'scope', 'epoch', 'step', 'metric', 'index', 'value']);
  const expected = jsonl.flatMap((e) =>
    Object.entries(e.values).flatMap(([name, value]) =>
      (Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : [['', value] as const]).map(([index, v]) => [e.scope, String(e.epoch), String(e.step), name, index, v === null ? 'nan' : String(v)]),
    ),
  );
  assert.deepEqual(
    rows.slice(1).map((r) => r.slice(1)),
    expected,
  );
  for (const r of rows.slice(1)) assert.ok(!Number.isNaN(Date.parse(r[0])), `time ${r[0]}`);
}

test('a run with logging.sinks csv and tensorboard writes metrics.csv and an event file holding exactly metrics.jsonl', { skip: skipTensorboard }, async () => {
  const dir = tmpDir();
  await trainTiny(dir);
  const jsonl = readJsonl(dir);
  assert.equal(jsonl.filter((e) => e.scope === 'step').length, 4);
  assert.ok(jsonl.some((e) => 'odd/hist' in e.values));
  const tb = readTensorboard(dir);
  assertTensorboardMatches(jsonl, tb);
  const odd = tb.filter((e) => 'epoch/odd/"a,b"' in e.scalars);
  assert.equal(odd.length, 2);
  assert.ok(odd.every((e) => Number.isNaN(e.scalars['epoch/odd/nan']) && !Object.keys(e.scalars).some((tag) => tag.includes('hist'))));
  assertCsvMatches(jsonl, readCsv(dir));
});

test('after a kill mid-write and a resume the sinks hold every step once and drop the partial record', { skip: skipTensorboard }, async () => {
  const dir = tmpDir();
  await trainTiny(dir);
  const store = path.join(dir, 'checkpoints');
  const files = checkpointFiles(store);
  fs.rmSync(path.join(store, files.at(-1)!));
  const eventFile = path.join(dir, eventFiles(dir)[0]);
  // What a kill during a write leaves: half a record and half a row.
  fs.appendFileSync(eventFile, fs.readFileSync(eventFile).subarray(0, 30));
  fs.appendFileSync(path.join(dir, 'metrics.csv'), '2026-01-01T00:00:00.000Z,step,2,3,lo');
  assert.throws(() => readTensorboard(dir), /truncated record/);

  await trainTiny(dir, true);
  const jsonl = readJsonl(dir);
  assert.deepEqual(jsonl.filter((e) => e.scope === 'step').map((e) => e.step), [0, 1, 2, 3]);
  const tb = readTensorboard(dir);
  assert.equal(eventFiles(dir)[0], path.basename(eventFile), 'the resumed run reuses its event file');
  assert.deepEqual(tb.filter((e) => 'step/loss' in e.scalars).map((e) => e.step), [0, 1, 2, 3]);
  assert.deepEqual(tb.filter((e) => 'epoch/loss' in e.scalars).map((e) => e.step), [1, 3]);
  assertTensorboardMatches(jsonl, tb);
  assertCsvMatches(jsonl, readCsv(dir));
});

test('a fresh run with only jsonl writes no other sink files', async () => {
  const dir = tmpDir();
  await trainTiny(dir, false, ['jsonl']);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['checkpoints', 'metrics.jsonl', 'recipe.json']);
});

test('bcl train --log chooses the sinks, recipe.json records them, and a sink added on resume gets the whole run', { skip: skipTensorboard }, () => {
  const dir = tmpDir();
  const recipeFile = path.join(dir, 'tiny.json');
  fs.writeFileSync(recipeFile, JSON.stringify(TINY_RECIPE));
  const out = path.join(dir, 'run');
  const first = bcl(['train', '--recipe', recipeFile, '--backend', 'cpu', '--out', out, '--log', 'csv']);
  assert.equal(first.status, 0, first.stderr);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, 'recipe.json'), 'utf8')).logging.sinks, ['csv']);
  assert.ok(fs.existsSync(path.join(out, 'metrics.csv')));
  assert.deepEqual(eventFiles(out), []);

  const store = path.join(out, 'checkpoints');
  fs.rmSync(path.join(store, checkpointFiles(store).at(-1)!));
  const resumed = bcl(['train', '--recipe', recipeFile, '--backend', 'cpu', '--out', out, '--resume', '--log', 'tensorboard,csv']);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /logging\.sinks changed from \["csv"\] to \["tensorboard","csv"\] \(harmless\)/);
  const jsonl = readJsonl(out);
  const tb = readTensorboard(out);
  assert.deepEqual(tb.filter((e) => 'step/loss' in e.scalars).map((e) => e.step), [0, 1, 2, 3], 'epoch 1, from before the resume, is in the new file too');
  assertTensorboardMatches(jsonl, tb);
  assertCsvMatches(jsonl, readCsv(out));
});

test('bcl train --log with an unknown sink is a usage error naming it and the choices', () => {
  const result = bcl(['train', '--log', 'csv,tensorbord']);
  assert.equal(result.status, 12);
  assert.match(result.stderr, /unknown metric sink "tensorbord"; the sinks are jsonl, csv, tensorboard/);
});
