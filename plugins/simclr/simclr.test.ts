import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { applyStateUpdates, createOptimizer, createResNet, Rng, type StateUpdate } from '../../core/index';
import { SimclrMethod } from './simclr-method';

test('SimCLR gives per-view, per-sample losses and overfits a fixed tiny batch without leaking', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const backbone = createResNet({ name: 'simclr/backbone', rng: new Rng(1), depth: 18, baseWidth: 2, inputChannels: 3 });
  const method = new SimclrMethod(backbone, new Rng(2), { temperature: 0.2, projectionDim: 8, hiddenDim: 0 });
  const rng = new Rng(3);
  const random = (): tf.Tensor4D => tf.tensor4d(Float32Array.from({ length: 4 * 8 * 8 * 3 }, () => rng.normal()), [4, 8, 8, 3]);
  const views = [random(), random()];
  const indices = Int32Array.from([0, 1, 2, 3]);
  const optimizer = createOptimizer({ type: 'sgd', lr: 0.5, momentum: 0.9, weightDecay: 0, nesterov: false }, method.trainableVariables());
  const losses: number[] = [];
  for (let i = 0; i < 15; i++) {
    const updates: StateUpdate[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const perView = method.loss({ views, indices }, { training: true, stateUpdates: updates });
      assert.deepEqual(perView.shape, [2, 4]);
      return perView.mean() as tf.Scalar;
    }, method.trainableVariables());
    losses.push(value.dataSync()[0]);
    optimizer.apply(grads, 0.1);
    applyStateUpdates(updates);
    tf.dispose([value, grads]);
  }
  // Chance level for 2B = 8 embeddings is ln(7) ~ 1.95; a memorised batch goes far below it.
  assert.ok(losses[0] > 1.2, `first loss ${losses[0]}`);
  assert.ok(losses.at(-1)! < losses[0] * 0.5, `losses ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  const features = method.encode(views[0]);
  assert.deepEqual(features.shape, [4, backbone.featureDim]);
  tf.dispose([features, ...views]);
  optimizer.dispose();
  method.dispose();
  method.dispose(); // idempotent
  assert.equal(tf.memory().numTensors, before);
});
