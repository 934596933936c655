import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
// A third-party plugin: written against the package's public exports only.
import { definePlugin, registerPlugin, train, z, type HookName, type PluginHooks } from '../core/index';
import { tinySetup } from './support/tiny-run';

/** Records every hook call with the identifying part of its payload. */
function recorderPlugin(calls: string[]) {
  return definePlugin({
    name: 'recorder',
    kind: 'addon',
    description: 'records the hook call sequence',
    options: z.strictObject({}),
    create() {
      const record = (hook: HookName, detail = ''): void => void calls.push(detail ? `${hook} ${detail}` : hook);
      const hooks: Required<PluginHooks> = {
        onTrainStart: (c) => record('onTrainStart', `from epoch ${c.startEpoch}`),
        onEpochStart: (c) => record('onEpochStart', `e${c.epoch}`),
        onBatchStart: (c) => record('onBatchStart', `e${c.epoch} b${c.batch} s${c.step}`),
        augmentationPolicy: (policy, c) => {
          record('augmentationPolicy', `s${c.step}`);
          return policy;
        },
        transformLoss: (loss, c) => {
          record('transformLoss', `s${c.step} [${loss.shape}]`);
          return loss;
        },
        onBatchLoss: (c) => record('onBatchLoss', `s${c.step} n${c.losses.length} idx${c.indices.length}`),
        onAfterStep: (c) => record('onAfterStep', `s${c.step}`),
        onEpochEnd: (c) => record('onEpochEnd', `e${c.epoch}`),
        onTrainEnd: () => record('onTrainEnd'),
        stateSnapshot: () => {
          record('stateSnapshot');
          return {};
        },
        onStateRestore: () => record('onStateRestore'),
      };
      return { hooks };
    },
  });
}

const step = (e: number, b: number, s: number): string[] => [
  `onBatchStart e${e} b${b} s${s}`,
  `augmentationPolicy s${s}`,
  `transformLoss s${s} [2,4]`,
  `onBatchLoss s${s} n4 idx4`,
  `onAfterStep s${s}`,
];

/** The pinned lifecycle of two epochs of two batches. Changing it is a deliberate act. */
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
  const calls: string[] = [];
  const { registry, recipe } = tinySetup({ plugins: [{ name: 'recorder' }] }, (c) => registerPlugin(recorderPlugin(calls), c));
  await train({ recipe, backend: 'cpu', container: registry });
  assert.deepEqual(calls, GOLDEN);
  assert.equal(tf.memory().numTensors, 0, 'every tensor of the run is disposed');
});
