import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { definePlugin, registerPlugin, train, z } from '../core/index';
import { decodeCheckpoint } from '../core/checkpoint/checkpoint-format';
import { tinySetup } from './support/tiny-run';
import { checkpointFiles } from './support/checkpoint-files';

const CLI = path.join(__dirname, '..', 'core', 'cli', 'main.js');
const tiny = {
  method: { name: 'simclr', projectionDim: 8 },
  backbone: { width: 2 },
  data: { dataset: { type: 'synthetic', size: 8, height: 8, width: 8 }, batchSize: 4 },
  epochs: 2,
  schedule: { warmupEpochs: 1 },
};

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-fail-'));
}

function bcl(args: string[], shellPrefix = ''): { status: number | null; stderr: string } {
  const command = `${shellPrefix} exec "${process.execPath}" "${CLI}" ${args.map((a) => `'${a}'`).join(' ')}`;
  const result = spawnSync('bash', ['-c', command], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

test('a NaN loss stops the run at that step; no checkpoint of that step exists and the last one is finite', async () => {
  const dir = tmp();
  const poison = definePlugin({
    name: 'poison',
    kind: 'addon',
    description: 'turns the loss of step 3 into NaN',
    options: z.strictObject({}),
    create: () => ({ hooks: { transformLoss: (loss, c) => (c.step === 3 ? tf.mul(loss, NaN) : loss) } }),
  });
  const { registry, recipe } = tinySetup({ plugins: [{ name: 'poison' }] }, (c) => registerPlugin(poison, c));
  await assert.rejects(train({ recipe, backend: 'cpu', container: registry, outDir: dir }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'NON_FINITE_LOSS');
    assert.match(e.message, /non-finite loss at step 3 \(epoch 2, batch 1\): loss=NaN, lr=[\d.e-]+; last good checkpoint: .*step-000000002\.ckpt/);
    return true;
  });
  const files = checkpointFiles(path.join(dir, 'checkpoints'));
  assert.deepEqual(files, ['step-000000002.ckpt']);
  const decoded = decodeCheckpoint(fs.readFileSync(path.join(dir, 'checkpoints', files[0])), files[0]);
  for (const [name, array] of decoded.arrays) assert.ok(Array.from(array.data).every(Number.isFinite), name);
  assert.equal(tf.memory().numTensors, 0);
});

test('a corrupt newest checkpoint is reported by name and the previous one is used', () => {
  const dir = tmp();
  const recipeFile = path.join(dir, 'r.json');
  fs.writeFileSync(recipeFile, JSON.stringify({ ...tiny, epochs: 3, checkpoint: { keepLast: 3 } }));
  const out = path.join(dir, 'run');
  assert.equal(bcl(['train', '--recipe', recipeFile, '--backend', 'cpu', '--out', out]).status, 0);
  const store = path.join(out, 'checkpoints');
  const newest = path.join(store, 'step-000000006.ckpt');
  const bytes = fs.readFileSync(newest);
  fs.writeFileSync(newest, bytes.subarray(0, bytes.length - 100));
  const middle = path.join(store, 'step-000000004.ckpt');
  const flipped = Buffer.from(fs.readFileSync(middle));
  flipped[200] ^= 0xff;
  fs.writeFileSync(middle, flipped);
  const resumed = bcl(['train', '--recipe', recipeFile, '--backend', 'cpu', '--out', out, '--resume']);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`skipping checkpoint .*step-000000006\\.ckpt: .*truncated: header says ${bytes.length} bytes, file has ${bytes.length - 100}`));
  assert.match(resumed.stderr, /skipping checkpoint .*step-000000004\.ckpt: .*checksum mismatch/);
  assert.match(resumed.stderr, /resumed at epoch 2, batch 1 \(step 2\)/);
});

test('a checkpoint of a newer format version is refused by number', () => {
  const dir = tmp();
  const recipeFile = path.join(dir, 'r.json');
  fs.writeFileSync(recipeFile, JSON.stringify({ ...tiny, epochs: 1 }));
  const out = path.join(dir, 'run');
  assert.equal(bcl(['train', '--recipe', recipeFile, '--backend', 'cpu', '--out', out]).status, 0);
  const file = path.join(out, 'checkpoints', 'step-000000002.ckpt');
  const bytes = Buffer.from(fs.readFileSync(file));
  bytes.writeUInt32LE(2, 8);
  fs.writeFileSync(file, bytes);
  const result = bcl(['train', '--recipe', recipeFile, '--backend', 'cpu', '--out', out, '--resume']);
  assert.equal(result.status, 8, result.stderr);
  assert.match(result.stderr, /unsupported format v2/);
});

test('a resume with a changed recipe is refused with the differing fields', () => {
  const dir = tmp();
  const recipeFile = path.join(dir, 'r.json');
  fs.writeFileSync(recipeFile, JSON.stringify(tiny));
  const out = path.join(dir, 'run');
  assert.equal(bcl(['train', '--recipe', recipeFile, '--backend', 'cpu', '--out', out]).status, 0);
  fs.writeFileSync(recipeFile, JSON.stringify({ ...tiny, method: { name: 'simclr', projectionDim: 8, temperature: 0.5 }, logging: { everySteps: 3 } }));
  const result = bcl(['train', '--recipe', recipeFile, '--backend', 'cpu', '--out', out, '--resume']);
  assert.equal(result.status, 9, result.stderr);
  assert.match(result.stderr, /method\.temperature: 0\.2 -> 0\.5/);
  assert.doesNotMatch(result.stderr, /logging\.everySteps:/);
});

test('a file-size limit while saving fails with the path and errno, and the previous checkpoint stays intact', () => {
  const dir = tmp();
  const recipeFile = path.join(dir, 'r.json');
  fs.writeFileSync(recipeFile, JSON.stringify({ ...tiny, epochs: 1 }));
  const out = path.join(dir, 'run');
  assert.equal(bcl(['train', '--recipe', recipeFile, '--backend', 'cpu', '--out', out]).status, 0);
  const first = path.join(out, 'checkpoints', 'step-000000002.ckpt');
  const before = fs.readFileSync(first);
  // A second run in another folder under a file-size limit (KiB) below one checkpoint's size.
  const limitKiB = Math.floor(before.length / 1024 / 2);
  const rerun = path.join(dir, 'run2');
  const result = bcl(['train', '--recipe', recipeFile, '--backend', 'cpu', '--out', rerun], `trap '' XFSZ; ulimit -f ${limitKiB};`);
  assert.equal(result.status, 10, result.stderr);
  assert.match(result.stderr, /could not write .*step-000000002\.ckpt \(EFBIG/);
  assert.deepEqual(fs.readdirSync(path.join(rerun, 'checkpoints')), [], 'no partial or temporary file is left');
  assert.ok(fs.readFileSync(first).equals(before));
});

test('a corrupt dataset file is named with the offset and exits 5', () => {
  const dir = tmp();
  const data = path.join(dir, 'fmnist');
  fs.mkdirSync(data);
  // An IDX image file that promises 10 images of 28x28 but holds 3 bytes of pixels.
  const header = Buffer.alloc(16);
  header.writeUInt32BE(0x00000803, 0);
  header.writeUInt32BE(10, 4);
  header.writeUInt32BE(28, 8);
  header.writeUInt32BE(28, 12);
  fs.writeFileSync(path.join(data, 'train-images-idx3-ubyte'), Buffer.concat([header, Buffer.from([1, 2, 3])]));
  const labels = Buffer.alloc(8 + 10);
  labels.writeUInt32BE(0x00000801, 0);
  labels.writeUInt32BE(10, 4);
  fs.writeFileSync(path.join(data, 'train-labels-idx1-ubyte'), labels);
  const recipeFile = path.join(dir, 'r.json');
  fs.writeFileSync(recipeFile, JSON.stringify({ ...tiny, data: { dataset: { type: 'fashion-mnist', dir: data } } }));
  const result = bcl(['train', '--recipe', recipeFile, '--backend', 'cpu', '--out', path.join(dir, 'run')]);
  assert.equal(result.status, 5, result.stderr);
  assert.match(result.stderr, /train-images-idx3-ubyte.*offset 16/);
});
