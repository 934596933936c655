import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { BATCH_NORM_TRAINING } from '../../models/batch-norm-training-op';
import { assertBatchNormCasesMatchCpu, batchNormErrorVersusCpu, LARGE_BATCH_NORM_CASE } from '../../../test/support/kernels/batch-norm-test-cases';
import { batchNormTrainingConfig } from '../wasm-training-kernels/batch-norm-training';
import { configureWasmKernels } from './configure-wasm-kernels';
import { loadOnednnAddon } from './load-onednn-addon';

tf.env().set('IS_TEST', true);
const load = loadOnednnAddon();
const skip = 'reason' in load ? `oneDNN addon not built: ${load.reason}` : false;
if (skip) console.log(`# skipping the native BatchNorm tests: ${skip}`);
else configureWasmKernels({ faster: true, native: true });
const TOLERANCE = 1e-4;

test('the native BatchNorm kernels match tfjs ops on cpu: y, mean, variance and the x/scale/offset gradients', { skip }, async (t) => {
  const kernel = tf.getKernel(BATCH_NORM_TRAINING, 'wasm');
  assert.ok(kernel !== undefined && kernel.kernelFunc !== batchNormTrainingConfig.kernelFunc, 'the native kernel is registered');
  await assertBatchNormCasesMatchCpu(t, TOLERANCE);
});

test('turning the native kernels off puts the pure-wasm BatchNorm kernels back', { skip }, () => {
  configureWasmKernels({ faster: true, native: false });
  try {
    assert.equal(tf.getKernel(BATCH_NORM_TRAINING, 'wasm')?.kernelFunc, batchNormTrainingConfig.kernelFunc);
  } finally {
    configureWasmKernels({ faster: true, native: true });
  }
});

test('the native BatchNorm kernels keep float64 accuracy over 102 400 rows per channel (1e-5 of cpu)', { skip }, async (t) => {
  const error = await batchNormErrorVersusCpu(LARGE_BATCH_NORM_CASE);
  t.diagnostic(`max relative error ${error.toExponential(2)}`);
  assert.ok(error <= 1e-5, `max relative error ${error}`);
});
