import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { CONV_SHAPES, type ConvCase, convShapes, expectWasmMatchesCpu, kernelGrid, seeded, seededTensor } from '../../../test/support/kernels/kernel-test-grid';
import { assertBatchNormCasesMatchCpu, batchNormErrorVersusCpu, LARGE_BATCH_NORM_CASE } from '../../../test/support/kernels/batch-norm-test-cases';
import { webgpuUnavailable } from '../../../test/support/webgpu';

/**
 * Every kernel the training step uses, on webgpu against tfjs's cpu backend (the independent
 * reference), at small shapes: on CI the adapter is SwiftShader, a CPU emulation. A test skips,
 * saying why, where no adapter exists.
 */

async function skipWithoutWebgpu(t: TestContext): Promise<boolean> {
  const reason = await webgpuUnavailable();
  if (reason !== undefined) t.skip(reason);
  return reason !== undefined;
}

/** Forward convolution and both gradients of `sum(conv(x, f) * w)`. */
function convAndGradients(c: ConvCase, seed: number): tf.Tensor[] {
  const { x, filter, dy } = convShapes(c);
  const xs = seededTensor(seed, x) as tf.Tensor4D;
  const fs = seededTensor(seed + 1, filter) as tf.Tensor4D;
  const w = seededTensor(seed + 2, dy);
  const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad);
  const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), w)))([xs, fs]);
  return [conv(xs, fs), dx, df];
}

test('Conv2D forward and both gradients on webgpu match cpu: kernels 1/3, strides 1/2, same/valid', async (t) => {
  if (await skipWithoutWebgpu(t)) return;
  await expectWasmMatchesCpu(t, kernelGrid(CONV_SHAPES, [1, 3], 300), convAndGradients, 'webgpu');
});

test('MatMul (all transpose combinations) and its gradients on webgpu match cpu', async (t) => {
  if (await skipWithoutWebgpu(t)) return;
  const cases = [
    { m: 5, k: 7, n: 3, transposeA: false, transposeB: false },
    { m: 4, k: 6, n: 9, transposeA: true, transposeB: false },
    { m: 8, k: 3, n: 5, transposeA: false, transposeB: true },
    { m: 16, k: 32, n: 16, transposeA: true, transposeB: true },
  ];
  await expectWasmMatchesCpu(
    t,
    seeded(cases, 400),
    (c, seed) => {
      const a = seededTensor(seed, c.transposeA ? [c.k, c.m] : [c.m, c.k]) as tf.Tensor2D;
      const b = seededTensor(seed + 1, c.transposeB ? [c.n, c.k] : [c.k, c.n]) as tf.Tensor2D;
      const w = seededTensor(seed + 2, [c.m, c.n]);
      const product = (p: tf.Tensor, q: tf.Tensor) => tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D, c.transposeA, c.transposeB);
      return [product(a, b), ...tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(product(p, q), w)))([a, b])];
    },
    'webgpu',
  );
});

test('ReLU, max pooling, global mean, softmax cross-entropy and L2 normalisation (with gradients) on webgpu match cpu', async (t) => {
  if (await skipWithoutWebgpu(t)) return;
  await expectWasmMatchesCpu(
    t,
    seeded([{ shape: [3, 8, 8, 5] }, { shape: [2, 9, 7, 4] }], 500),
    (c, seed) => {
      const x = seededTensor(seed, c.shape) as tf.Tensor4D;
      const labels = tf.oneHot(tf.tensor1d([0, 3, 1].slice(0, c.shape[0]), 'int32'), c.shape[3]);
      const f = (input: tf.Tensor) => {
        const pooled = tf.maxPool(tf.relu(input) as tf.Tensor4D, 3, 2, 'same');
        const features = tf.mean(pooled, [1, 2]);
        const normalised = tf.div(features, tf.norm(features, 2, 1, true).add(1e-6));
        return tf.losses.softmaxCrossEntropy(labels, tf.mul(normalised, 5));
      };
      return [f(x), tf.grad(f)(x)];
    },
    'webgpu',
  );
});

test('BatchNorm training (tfjs ops on webgpu: a two-pass moments) matches cpu on every kernel-test case, forward and gradients', async (t) => {
  if (await skipWithoutWebgpu(t)) return;
  await assertBatchNormCasesMatchCpu(t, 1e-4, 'webgpu');
});

test('BatchNorm statistics stay accurate at 102 400 rows per channel with mean 10 on webgpu (1e-5)', async (t) => {
  if (await skipWithoutWebgpu(t)) return;
  const error = await batchNormErrorVersusCpu(LARGE_BATCH_NORM_CASE, 'webgpu');
  t.diagnostic(`max relative error ${error.toExponential(2)} at ${LARGE_BATCH_NORM_CASE.shape.join('x')}`);
  assert.ok(error <= 1e-5, `max relative error ${error}`);
});

test('repeated kernel calls on webgpu leave no tensor behind', async (t) => {
  if (await skipWithoutWebgpu(t)) return;
  await tf.setBackend('webgpu');
  const c: ConvCase = { batch: 2, height: 8, width: 8, inChannels: 3, outChannels: 4, kernel: 3, stride: 1, pad: 'same' };
  const round = async () => {
    const outputs = tf.tidy(() => convAndGradients(c, 1));
    await Promise.all(outputs.map((o) => o.data()));
    tf.dispose(outputs);
  };
  await round();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) await round();
  assert.equal(tf.memory().numTensors, before);
});
