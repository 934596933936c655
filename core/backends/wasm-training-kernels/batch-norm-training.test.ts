import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from '../../models/batch-norm-training-op';
import { assertBatchNormCasesMatchCpu, BATCH_NORM_CASES, batchNormErrorVersusCpu, LARGE_BATCH_NORM_CASE } from '../../../test/support/kernels/batch-norm-test-cases';
import { batchNormTrainingConfig } from './batch-norm-training';
import { seededNormals } from '../../../test/support/kernels/cpu-reference';
import { registerWasmTrainingKernels, useFasterWasmKernels } from './index';

tf.env().set('IS_TEST', true);
registerWasmTrainingKernels({ faster: true });
const TOLERANCE = 1e-4;

test('the pure-wasm BatchNorm kernels match tfjs ops on cpu: y, mean, variance and the x/scale/offset gradients', async (t) => {
  assert.equal(tf.getKernel(BATCH_NORM_TRAINING, 'wasm')?.kernelFunc, batchNormTrainingConfig.kernelFunc);
  await assertBatchNormCasesMatchCpu(t, TOLERANCE);
});

test('each BatchNorm kernel adds exactly its three outputs and leaves its inputs intact', async () => {
  await tf.setBackend('wasm');
  const shape = [2, 3, 3, 4];
  const make = (seed: number, s: number[]) => tf.tensor(seededNormals(seed, s.reduce((a, b) => a * b)), s);
  const x = make(1, shape), scale = make(2, [4]), offset = make(3, [4]);
  const before = { tensors: tf.memory().numTensors, buffers: tf.engine().backend.numDataIds() };
  const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAINING, { x, scale, offset }, { epsilon: 1e-5 }) as tf.Tensor[];
  const [dx, dScale, dOffset] = tf.engine().runKernel(BATCH_NORM_TRAINING_GRAD, { dy: y, x, scale, mean, variance }, { epsilon: 1e-5 }) as tf.Tensor[];
  assert.equal(tf.memory().numTensors, before.tensors + 6);
  assert.equal(tf.engine().backend.numDataIds(), before.buffers + 6);
  tf.dispose([y, mean, variance, dx, dScale, dOffset]);
  assert.equal(tf.engine().backend.numDataIds(), before.buffers);
  assert.deepEqual(x.dataSync(), seededNormals(1, 72));
  tf.dispose([x, scale, offset]);
});

test('without the faster kernels BatchNorm falls back to tfjs ops on wasm, with the same results', async () => {
  useFasterWasmKernels(false);
  try {
    assert.equal(tf.getKernel(BATCH_NORM_TRAINING, 'wasm'), undefined);
    const error = await batchNormErrorVersusCpu(BATCH_NORM_CASES[0]);
    assert.ok(error <= TOLERANCE, `max relative error ${error}`);
  } finally {
    useFasterWasmKernels(true);
  }
});

test('the pure-wasm BatchNorm kernels keep float64 accuracy over 102 400 rows per channel (1e-5 of cpu)', async (t) => {
  const error = await batchNormErrorVersusCpu(LARGE_BATCH_NORM_CASE);
  t.diagnostic(`max relative error ${error.toExponential(2)}`);
  assert.ok(error <= 1e-5, `max relative error ${error}`);
});
