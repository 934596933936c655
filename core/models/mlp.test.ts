import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng';
import { applyStateUpdates, type StateUpdate } from './module';
import { createMlp } from './mlp';
import { countParameters } from './parameters';
import { createProjector } from './projector';
import { normalTensor, useCpuBackend } from './spec-helpers';

function names(variables: tf.Variable[]): string[] {
  return variables.map((v) => `${v.name} [${v.shape.join(', ')}]`);
}

describe('createProjector', () => {
  before(useCpuBackend);

  it("is SDCLR/BCL's head: fc1 (bias) - bn1 - relu - fc2 (no bias) - bn2, 128 out by default", () => {
    const head = createProjector({ name: 'p', rng: new Rng(1), inputDim: 16 });
    assert.deepEqual(names(head.trainableVariables()), [
      'p/fc1/kernel [16, 16]',
      'p/fc1/bias [16]',
      'p/bn1/gamma [16]',
      'p/bn1/beta [16]',
      'p/fc2/kernel [16, 128]',
      'p/bn2/gamma [128]',
      'p/bn2/beta [128]',
    ]);
    assert.deepEqual(names(head.stateVariables()), [
      'p/bn1/running_mean [16]',
      'p/bn1/running_var [16]',
      'p/bn2/running_mean [128]',
      'p/bn2/running_var [128]',
    ]);
    // SDCLR proj_head(512, 128) in PyTorch: 512*512 + 512 + 2*512 + 512*128 + 2*128 = 329,472
    const full = createProjector({ name: 'p512', rng: new Rng(1), inputDim: 512 });
    assert.equal(countParameters(full), 329_472);
    full.dispose();
    head.dispose();
  });

  it('outputs batch-normalised [B, out] in training, and sends gradient to every non-bias-before-BN weight', () => {
    const head = createProjector({ name: 'pg', rng: new Rng(2), inputDim: 8, hiddenDim: 6, outputDim: 4 });
    const x = normalTensor(3, [5, 8]);
    const weights = normalTensor(4, [5, 4]);
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(tf.square(head.apply(x, { training: true })), weights)) as tf.Scalar,
      head.trainableVariables(),
    );
    for (const variable of head.trainableVariables()) {
      const size = tf.tidy(() => tf.max(tf.abs(grads[variable.name])).dataSync()[0]);
      // fc1's bias feeds a training-mode BN, which subtracts the batch mean: its gradient is 0 by construction.
      if (variable.name === 'pg/fc1/bias') assert.ok(size < 1e-5, `${variable.name} gradient ${size}`);
      else assert.ok(size > 1e-6, `${variable.name} gets no gradient`);
    }
    const y = head.apply(x, { training: true });
    assert.deepEqual(y.shape, [5, 4]);
    // bn2 starts at gamma 1, beta 0: every output column has mean 0 over the batch.
    const columnMeans = tf.tidy(() => tf.mean(y, 0).dataSync());
    assert.ok(Array.from(columnMeans).every((m) => Math.abs(m) < 1e-5));
    tf.dispose([x, weights, value, y, ...Object.values(grads)]);
    head.dispose();
  });
});

describe('createMlp', () => {
  before(useCpuBackend);

  it('builds Linear-BN-ReLU hidden layers and a plain last layer by default (BYOL predictor)', () => {
    const mlp = createMlp({ name: 'q', rng: new Rng(5), sizes: [8, 16, 4] });
    assert.deepEqual(names(mlp.trainableVariables()), [
      'q/fc1/kernel [8, 16]',
      'q/fc1/bias [16]',
      'q/bn1/gamma [16]',
      'q/bn1/beta [16]',
      'q/fc2/kernel [16, 4]',
      'q/fc2/bias [4]',
    ]);
    mlp.dispose();
  });

  it('drops BN when asked and adds a non-affine last BN (SimSiam projector)', () => {
    const plain = createMlp({ name: 'r', rng: new Rng(5), sizes: [4, 3, 2], batchNorm: false });
    assert.equal(plain.stateVariables().length, 0);
    const simsiam = createMlp({
      name: 's',
      rng: new Rng(5),
      sizes: [4, 4, 4, 2],
      bias: false,
      lastBatchNorm: true,
      lastBatchNormAffine: false,
    });
    assert.deepEqual(
      simsiam.trainableVariables().map((v) => v.name),
      ['s/fc1/kernel', 's/bn1/gamma', 's/bn1/beta', 's/fc2/kernel', 's/bn2/gamma', 's/bn2/beta', 's/fc3/kernel'],
    );
    assert.equal(simsiam.stateVariables().at(-1)?.name, 's/bn3/running_var');
    simsiam.dispose();
    plain.dispose();
  });

  it('matches a hand computation for a 1-hidden-layer MLP without BN: relu(x W1 + b1) W2 + b2', () => {
    const mlp = createMlp({ name: 'h', rng: new Rng(0), sizes: [2, 2, 1], batchNorm: false });
    const [w1, b1, w2, b2] = mlp.trainableVariables();
    w1.assign(tf.tensor2d([1, -1, 2, 1], [2, 2]));
    b1.assign(tf.tensor1d([0, -10]));
    w2.assign(tf.tensor2d([3, 5], [2, 1]));
    b2.assign(tf.tensor1d([0.5]));
    const x = tf.tensor2d([1, 2], [1, 2]);
    const y = mlp.apply(x, { training: false });
    // hidden = relu([1*1 + 2*2 + 0, 1*(-1) + 2*1 - 10]) = [5, 0]; out = 5*3 + 0*5 + 0.5
    assert.deepEqual(Array.from(y.dataSync()), [15.5]);
    tf.dispose([x, y]);
    mlp.dispose();
  });

  it('rejects fewer than 2 sizes and a per-layer bias list of the wrong length', () => {
    assert.throws(() => createMlp({ name: 'bad', rng: new Rng(0), sizes: [4] }), /bad\.sizes must list at least 2 sizes/);
    assert.throws(
      () => createMlp({ name: 'bad', rng: new Rng(0), sizes: [4, 4, 2], bias: [true] }),
      /bad\.bias must be a boolean or have one entry per linear layer \(2\)/,
    );
  });

  it('leaks no tensors across training steps and after dispose', () => {
    const before = tf.memory().numTensors;
    const mlp = createProjector({ name: 'leak', rng: new Rng(0), inputDim: 6, outputDim: 3 });
    const x = normalTensor(1, [4, 6]);
    const afterCreate = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) {
      const updates: StateUpdate[] = [];
      tf.dispose(mlp.apply(x, { training: true, stateUpdates: updates }));
      applyStateUpdates(updates);
      tf.dispose(mlp.apply(x, { training: false }));
      assert.equal(tf.memory().numTensors, afterCreate, `step ${step}`);
    }
    x.dispose();
    mlp.dispose();
    mlp.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});
