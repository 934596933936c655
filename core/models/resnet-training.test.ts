import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng';
import { applyStateUpdates, type StateUpdate } from './module';
import { createResNet, type ResNetOptions } from './resnet';
import { normalTensor, useCpuBackend } from './spec-helpers';

describe('createResNet in training', () => {
  before(useCpuBackend);

  for (const options of [
    { name: 'grad18', rng: new Rng(1), depth: 18, baseWidth: 4, stem: 'cifar' },
    { name: 'grad18in', rng: new Rng(1), depth: 18, baseWidth: 4, stem: 'imagenet' },
    { name: 'grad50', rng: new Rng(1), depth: 50, baseWidth: 2, stem: 'cifar' },
  ] satisfies ResNetOptions[]) {
    it(`sends gradient to every trainable variable (ResNet-${options.depth} width ${options.baseWidth}, ${options.stem} stem, 8x8)`, () => {
      const before = tf.memory().numTensors;
      const net = createResNet(options);
      const x = normalTensor(2, [2, 8, 8, 3]);
      const weights = normalTensor(3, [2, net.featureDim]);
      const updates: StateUpdate[] = [];
      const variables = net.trainableVariables();
      // A weighted square keeps the loss from being invariant to a training-mode BN's shift.
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.mul(tf.square(net.apply(x, { training: true, stateUpdates: updates })), weights)) as tf.Scalar,
        variables,
      );
      assert.equal(Object.keys(grads).length, variables.length);
      const maxAbs = tf.tidy(() => tf.stack(variables.map((v) => tf.max(tf.abs(grads[v.name])))).dataSync());
      variables.forEach((v, i) => assert.ok(maxAbs[i] > 0 && Number.isFinite(maxAbs[i]), `${v.name}: |grad| = ${maxAbs[i]}`));
      // One mean and one variance update per BN: every state variable, once.
      assert.deepEqual(
        updates.map((u) => u.variable.name),
        net.stateVariables().map((v) => v.name),
      );
      applyStateUpdates(updates);
      tf.dispose([x, weights, value, ...Object.values(grads)]);
      net.dispose();
      assert.equal(tf.memory().numTensors, before);
    });
  }

  it('leaks no tensor across repeated training and eval passes, and frees all on dispose (idempotent)', () => {
    const before = tf.memory().numTensors;
    const net = createResNet({ name: 'leak', rng: new Rng(0), depth: 18, baseWidth: 2 });
    const x = normalTensor(1, [2, 8, 8, 3]);
    const steady = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) {
      const updates: StateUpdate[] = [];
      tf.dispose(net.apply(x, { training: true, stateUpdates: updates }));
      assert.equal(tf.memory().numTensors, steady + updates.length, 'only pending updates outlive the pass');
      applyStateUpdates(updates);
      tf.dispose(net.apply(x, { training: false }));
      assert.equal(tf.memory().numTensors, steady, `after step ${step}`);
    }
    x.dispose();
    net.dispose();
    net.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it('moves running statistics only through applied updates, and eval output follows them', () => {
    const net = createResNet({ name: 'state', rng: new Rng(0), depth: 18, baseWidth: 2 });
    const x = normalTensor(5, [4, 8, 8, 3]);
    const evalBefore = net.apply(x, { training: false });
    tf.dispose(net.apply(x, { training: true })); // no collector: state must not move
    const unchanged = net.apply(x, { training: false });
    assert.deepEqual(Array.from(unchanged.dataSync()), Array.from(evalBefore.dataSync()));
    const updates: StateUpdate[] = [];
    tf.dispose(net.apply(x, { training: true, stateUpdates: updates }));
    applyStateUpdates(updates);
    const evalAfter = net.apply(x, { training: false });
    assert.notDeepEqual(Array.from(evalAfter.dataSync()), Array.from(evalBefore.dataSync()));
    tf.dispose([x, evalBefore, unchanged, evalAfter]);
    net.dispose();
  });
});
