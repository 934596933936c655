import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels, wasmTrainingKernelConfigs } from './index';

test('registerWasmTrainingKernels registers the missing kernels once and keeps kernels wasm already has', (t) => {
  // Stand in for a future tfjs-backend-wasm that ships one of the kernels itself.
  const shipped: tf.KernelConfig = {
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    backendName: 'wasm',
    kernelFunc: () => {
      throw new Error('not called');
    },
  };
  tf.registerKernel(shipped);
  t.after(() => tf.unregisterKernel(shipped.kernelName, 'wasm'));
  const warn = t.mock.method(console, 'warn');

  registerWasmTrainingKernels();
  registerWasmTrainingKernels();

  assert.equal(warn.mock.callCount(), 0, 'a second registration of the same kernel makes tfjs warn');
  assert.equal(tf.getKernel(shipped.kernelName, 'wasm')?.kernelFunc, shipped.kernelFunc);
  for (const config of wasmTrainingKernelConfigs.filter((c) => c.kernelName !== shipped.kernelName)) {
    assert.equal(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc, config.kernelFunc, config.kernelName);
  }
});
