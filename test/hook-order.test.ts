import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerPlugin, train } from '../core/index';
import { recorderPlugin, type Recording } from '../core/contract/recorder-plugin';
import { tinySetup } from './support/tiny-run';
import { checkpointFiles } from './support/checkpoint-files';

/** The pinned lifecycle of two epochs of two batches of four samples. Changing it is a deliberate act. */
const step = (e: number, b: number, s: number): string[] => [
  `onBatchStart e${e} b${b} s${s}`,
  `augmentationPolicy s${s}`,
  `transformLoss s${s} [2,4]`,
  `onBatchLoss s${s} n4 idx4`,
  `onAfterStep s${s}`,
];
const GOLDEN = [
  'onTrainStart from epoch 1',
  'onEpochStart e1',
  ...step(1, 0, 0),
  ...step(1, 1, 1),
  'onEpochEnd e1',
  'onEpochStart e2',
  ...step(2, 0, 2),
  ...step(2, 1, 3),
  'onEpochEnd e2',
  'onTrainEnd',
];

test('a third-party add-on sees the full hook sequence of two tiny epochs', async () => {
  const recording: Recording = { calls: [], tensorsAfterStep: [] };
  const { registry, recipe } = tinySetup({ plugins: [{ name: 'recorder' }] }, (c) => registerPlugin(recorderPlugin(recording), c));
  await train({ recipe, backend: 'cpu', container: registry });
  assert.deepEqual(recording.calls, GOLDEN);
  assert.equal(tf.memory().numTensors, 0, 'every tensor of the run is disposed');
});

test('with a run folder, stateSnapshot is collected at each epoch-end checkpoint, and a resume restores first', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-order-'));
  const first: Recording = { calls: [], tensorsAfterStep: [] };
  const a = tinySetup({ plugins: [{ name: 'recorder' }] }, (c) => registerPlugin(recorderPlugin(first), c));
  await train({ recipe: a.recipe, backend: 'cpu', container: a.registry, outDir: dir });
  assert.deepEqual(first.calls.filter((c) => c === 'stateSnapshot' || c.startsWith('onEpochEnd')), ['onEpochEnd e1', 'stateSnapshot', 'onEpochEnd e2', 'stateSnapshot']);
  const checkpoints = path.join(dir, 'checkpoints');
  fs.rmSync(path.join(checkpoints, checkpointFiles(checkpoints)[1]));
  const second: Recording = { calls: [], tensorsAfterStep: [] };
  const b = tinySetup({ plugins: [{ name: 'recorder' }] }, (c) => registerPlugin(recorderPlugin(second), c));
  await train({ recipe: b.recipe, backend: 'cpu', container: b.registry, outDir: dir, resume: true });
  assert.deepEqual(second.calls.slice(0, 3), ['onStateRestore', 'onTrainStart from epoch 2', 'onEpochStart e2']);
});
