import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './index';
import { DEPTHWISE_PADDING_CASES, DEPTHWISE_SHAPES, DepthwiseCase, depthwiseShapes, expectWasmMatchesCpu, kernelGrid, seeded, seededTensor } from '../../../test/support/kernels/kernel-test-grid';

// IS_TEST makes the engine check every kernel for leaked data ids (and silences tfjs's Node banner).
tf.env().set('IS_TEST', true);
registerWasmTrainingKernels();

/** Depthwise filter gradient of one case, computed by whichever backend is active. */
function filterGradient(c: DepthwiseCase, seed: number, dilations: number = 1): tf.Tensor {
  const { x, filter, dy } = depthwiseShapes(c);
  const inputs = { x: seededTensor(seed, x), dy: seededTensor(seed + 1, dy) };
  return tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, inputs, {
    strides: c.stride,
    pad: c.pad,
    dilations,
    filterShape: filter,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

test('DepthwiseConv2dNativeBackpropFilter on wasm matches cpu for kernels 1/3/7, strides 1/2, same/valid, multipliers 1/2', (t) =>
  expectWasmMatchesCpu(t, kernelGrid(DEPTHWISE_SHAPES, [1, 3, 7], 300), filterGradient));

test('DepthwiseConv2dNativeBackpropFilter on wasm matches cpu for numeric and explicit padding and stride 3', (t) => {
  const cases: DepthwiseCase[] = [
    ...DEPTHWISE_PADDING_CASES,
    { batch: 2, height: 8, width: 7, channels: 3, multiplier: 1, kernel: 3, stride: 2, pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
  ];
  return expectWasmMatchesCpu(t, seeded(cases, 400), filterGradient);
});

test('DepthwiseConv2dNativeBackpropFilter on wasm rejects dilations with a hint', async () => {
  await tf.setBackend('wasm');
  const c: DepthwiseCase = { batch: 1, height: 6, width: 6, channels: 2, multiplier: 1, kernel: 3, stride: 1, pad: 'valid' };
  const before = tf.memory().numTensors;
  assert.throws(() => tf.tidy(() => filterGradient(c, 500, 2)), /expected dilations of 1, but got \[2, 2\]\. Hint:/);
  assert.equal(tf.memory().numTensors, before);
});
