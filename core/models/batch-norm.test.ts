import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { createBatchNorm } from './batch-norm';
import { applyStateUpdates, type StateUpdate } from './module';
import { assertClose, normalArray, useCpuBackend } from './spec-helpers';

const EPS = 1e-5;
const MOMENTUM = 0.1;

/** Float64 per-channel statistics over every axis but the last: mean, biased and unbiased variance. */
function channelStats(x: Float64Array, channels: number) {
  const count = x.length / channels;
  const mean = new Float64Array(channels);
  const biased = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) mean[i % channels] += x[i] / count;
  for (let i = 0; i < x.length; i++) biased[i % channels] += (x[i] - mean[i % channels]) ** 2 / count;
  const unbiased = biased.map((v) => (v * count) / (count - 1));
  return { mean, biased, unbiased };
}

/** Float64 `(x - mean) / sqrt(var + eps) * gamma + beta`, channels last. */
function normaliseF64(x: Float64Array, mean: ArrayLike<number>, variance: ArrayLike<number>, gamma: number[], beta: number[]) {
  const c = gamma.length;
  return x.map((v, i) => ((v - mean[i % c]) / Math.sqrt(variance[i % c] + EPS)) * gamma[i % c] + beta[i % c]);
}

const GAMMA = [1.5, -0.5, 2];
const BETA = [0.25, 1, -3];
const SHAPE = [3, 2, 2, 3]; // N, H, W, C: 12 values per channel

function setAffine(bn: ReturnType<typeof createBatchNorm>): void {
  const [gamma, beta] = bn.trainableVariables();
  gamma.assign(tf.tensor1d(GAMMA));
  beta.assign(tf.tensor1d(BETA));
}

describe('createBatchNorm', () => {
  before(useCpuBackend);

  it('normalises with batch mean and biased variance in training (float64 reference)', () => {
    const bn = createBatchNorm({ name: 'bn-train', channels: 3 });
    setAffine(bn);
    // Shift channels apart so a wrong reduction axis shows.
    const x64 = normalArray(1, 36).map((v, i) => v * (1 + (i % 3)) + 5 * (i % 3));
    const x = tf.tensor(Float32Array.from(x64), SHAPE);
    const y = bn.apply(x, { training: true });
    const { mean, biased } = channelStats(x64, 3);
    assertClose(y.dataSync(), normaliseF64(x64, mean, biased, GAMMA, BETA), 1e-4, 'training output');
    tf.dispose([x, y]);
    bn.dispose();
  });

  it('normalises with the running statistics in eval, whatever the batch', () => {
    const bn = createBatchNorm({ name: 'bn-eval', channels: 3 });
    setAffine(bn);
    const [runningMean, runningVar] = bn.stateVariables();
    runningMean.assign(tf.tensor1d([0.5, -1, 2]));
    runningVar.assign(tf.tensor1d([4, 0.25, 1]));
    const x64 = normalArray(2, 36);
    const x = tf.tensor(Float32Array.from(x64), SHAPE);
    const updates: StateUpdate[] = [];
    const y = bn.apply(x, { training: false, stateUpdates: updates });
    assertClose(y.dataSync(), normaliseF64(x64, [0.5, -1, 2], [4, 0.25, 1], GAMMA, BETA), 1e-5, 'eval output');
    assert.equal(updates.length, 0, 'eval records no state updates');
    tf.dispose([x, y]);
    bn.dispose();
  });

  it('records running stats with PyTorch formula: momentum 0.1, unbiased variance, without assigning', () => {
    const bn = createBatchNorm({ name: 'bn-update', channels: 3 });
    const [runningMean, runningVar] = bn.stateVariables();
    const x64 = normalArray(3, 36).map((v, i) => 2 * v + i % 3);
    const x = tf.tensor(Float32Array.from(x64), SHAPE);
    const updates: StateUpdate[] = [];
    const y = bn.apply(x, { training: true, stateUpdates: updates });
    assert.deepEqual(
      updates.map((u) => u.variable.name),
      ['bn-update/running_mean', 'bn-update/running_var'],
    );
    assertClose(runningMean.dataSync(), [0, 0, 0], 0, 'running mean before apply');
    const { mean, unbiased } = channelStats(x64, 3);
    const expectedMean = Array.from(mean, (m) => (1 - MOMENTUM) * 0 + MOMENTUM * m);
    const expectedVar = Array.from(unbiased, (v) => (1 - MOMENTUM) * 1 + MOMENTUM * v);
    applyStateUpdates(updates);
    assertClose(runningMean.dataSync(), expectedMean, 1e-6, 'running mean');
    assertClose(runningVar.dataSync(), expectedVar, 1e-5, 'running var');
    tf.dispose([x, y]);
    bn.dispose();
  });

  it('chains two training passes in one step, as sequential PyTorch updates would', () => {
    const bn = createBatchNorm({ name: 'bn-chain', channels: 3 });
    const a64 = normalArray(4, 36);
    const b64 = normalArray(5, 36).map((v) => 3 * v - 1);
    const a = tf.tensor(Float32Array.from(a64), SHAPE);
    const b = tf.tensor(Float32Array.from(b64), SHAPE);
    const updates: StateUpdate[] = [];
    tf.dispose([bn.apply(a, { training: true, stateUpdates: updates }), bn.apply(b, { training: true, stateUpdates: updates })]);
    const sa = channelStats(a64, 3);
    const sb = channelStats(b64, 3);
    const expectedMean = [0, 1, 2].map((c) => 0.9 * (0.9 * 0 + 0.1 * sa.mean[c]) + 0.1 * sb.mean[c]);
    const expectedVar = [0, 1, 2].map((c) => 0.9 * (0.9 * 1 + 0.1 * sa.unbiased[c]) + 0.1 * sb.unbiased[c]);
    applyStateUpdates(updates);
    const [runningMean, runningVar] = bn.stateVariables();
    assertClose(runningMean.dataSync(), expectedMean, 1e-6, 'chained running mean');
    assertClose(runningVar.dataSync(), expectedVar, 1e-5, 'chained running var');
    tf.dispose([a, b]);
    bn.dispose();
  });

  it('serves [B, C] vectors (BatchNorm1d) and leaves state alone without a collector', () => {
    const bn = createBatchNorm({ name: 'bn-1d', channels: 2 });
    const x64 = Float64Array.from([1, 10, 2, 20, 4, 60]);
    const x = tf.tensor2d(Float32Array.from(x64), [3, 2]);
    const y = bn.apply(x, { training: true });
    const { mean, biased } = channelStats(x64, 2);
    assertClose(y.dataSync(), normaliseF64(x64, mean, biased, [1, 1], [0, 0]), 1e-4, '1d output');
    assertClose(bn.stateVariables()[1].dataSync(), [1, 1], 0, 'running var untouched');
    tf.dispose([x, y]);
    bn.dispose();
  });

  it('initialises gamma 1 and beta 0, or gamma 0 with zeroInitGamma; affine false has no trainables', () => {
    const plain = createBatchNorm({ name: 'bn-init', channels: 2 });
    const zeroed = createBatchNorm({ name: 'bn-zero', channels: 2, zeroInitGamma: true });
    const bare = createBatchNorm({ name: 'bn-bare', channels: 2, affine: false });
    assert.deepEqual(plain.trainableVariables().map((v) => [v.name, Array.from(v.dataSync())]), [
      ['bn-init/gamma', [1, 1]],
      ['bn-init/beta', [0, 0]],
    ]);
    assert.deepEqual(Array.from(zeroed.trainableVariables()[0].dataSync()), [0, 0]);
    assert.equal(bare.trainableVariables().length, 0);
    assert.equal(bare.stateVariables().length, 2);
    assert.ok(plain.stateVariables().every((v) => !v.trainable));
    [bare, zeroed, plain].forEach((m) => m.dispose());
  });

  it('refuses training on one value per channel, and a wrong channel count', () => {
    const bn = createBatchNorm({ name: 'bn-guard', channels: 2 });
    const one = tf.zeros([1, 2]);
    const wide = tf.zeros([4, 3]);
    assert.throws(() => bn.apply(one, { training: true }), /more than 1 value per channel.*Hint: use a batch size/);
    assert.throws(() => bn.apply(wide, { training: false }), /expected 2 channels/);
    tf.dispose([one, wide]);
    bn.dispose();
  });

  it('keeps only the pending updates alive, and frees everything on apply and dispose', () => {
    const before = tf.memory().numTensors;
    const bn = createBatchNorm({ name: 'bn-leak', channels: 3 });
    const x = tf.ones(SHAPE);
    for (let step = 0; step < 3; step++) {
      const updates: StateUpdate[] = [];
      const y = bn.apply(x, { training: true, stateUpdates: updates });
      // 4 variables + input + output + the two pending values
      assert.equal(tf.memory().numTensors, before + 8);
      applyStateUpdates(updates);
      y.dispose();
    }
    x.dispose();
    bn.dispose();
    bn.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});
