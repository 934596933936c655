import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { container } from 'tsyringe';
import { EventBus, syntheticDataset, train, validateRecipe, type MetricsEvent } from '../../core/index';
import { registerSimclr } from '../index';
import { registerKnnMonitor } from './index';
import { measureKnn } from './knn-monitor';

test('measureKnn: brightness features find the synthetic classes; top-5 of 4 classes is 100%; no leaks', async () => {
  await tf.setBackend('cpu');
  // Synthetic classes differ in mean brightness (noise 40 on steps of 50): the mean pixel and a
  // constant make 2-D features whose angle orders the classes, so kNN is nearly perfect.
  const trainSet = syntheticDataset({ size: 80, height: 6, width: 6, channels: 1, numClasses: 4, seed: 1 });
  const testSet = syntheticDataset({ size: 40, height: 6, width: 6, channels: 1, numClasses: 4, seed: 2 });
  const encode = (x: tf.Tensor4D): tf.Tensor2D => tf.tidy(() => {
    const m = tf.mean(x, [1, 2, 3]).reshape([-1, 1]);
    return tf.concat([m, tf.onesLike(m)], 1) as tf.Tensor2D;
  });
  const before = tf.memory().numTensors;
  const result = await measureKnn({ encode, train: trainSet, test: testSet, mean: [0], std: [1] }, { k: 5, temperature: 0.1, batchSize: 16 });
  assert.equal(tf.memory().numTensors, before);
  assert.ok(result.top1 >= 90, `top-1 ${result.top1}`);
  assert.equal(result.top5, 100);
});

test('knn-monitor options are validated before training with the path of the bad field', () => {
  const registry = container.createChildContainer();
  registerSimclr(registry);
  registerKnnMonitor(registry);
  assert.throws(
    () => validateRecipe({ method: { name: 'simclr' }, data: { dataset: { type: 'synthetic' } }, plugins: [{ name: 'knn-monitor', everyEpochs: 0 }] }, 'recipe', registry),
    /recipe\.plugins\[0\]\.everyEpochs must be >= 1/,
  );
});

test('in a training run it logs knn/top1 after the scheduled epochs', async () => {
  await tf.setBackend('cpu');
  const registry = container.createChildContainer();
  registerSimclr(registry);
  registerKnnMonitor(registry);
  const recipe = validateRecipe(
    {
      method: { name: 'simclr', projectionDim: 8 },
      backbone: { width: 2 },
      data: { dataset: { type: 'synthetic', size: 8, height: 8, width: 8 }, batchSize: 4 },
      epochs: 3,
      schedule: { warmupEpochs: 1 },
      plugins: [{ name: 'knn-monitor', everyEpochs: 2 }],
    },
    'recipe',
    registry,
  );
  const events = new EventBus();
  const logged: MetricsEvent[] = [];
  events.on('metrics', (e) => 'knn/top1' in e.values && logged.push(e));
  const before = tf.memory().numTensors;
  await train({ recipe, container: registry, backend: 'cpu', events });
  assert.equal(tf.memory().numTensors, before, 'nothing left behind after the run');
  // Every 2nd epoch, and always the last: epochs 2 and 3.
  assert.deepEqual(logged.map((e) => e.epoch), [2, 3]);
  for (const e of logged) assert.ok((e.values['knn/top1'] as number) >= 0 && (e.values['knn/top1'] as number) <= 100);
});
