import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { conv2DBackpropInputConfig } from './conv-2d-backprop-input';
import { registerWasmTrainingKernels } from './index';
import { CONV_PADDING_CASES, CONV_SHAPES, ConvCase, convShapes, expectWasmMatchesCpu, kernelGrid, seeded, seededTensor } from '../../../test/support/kernels/kernel-test-grid';

// IS_TEST makes the engine check every kernel for leaked data ids (and silences tfjs's Node banner).
tf.env().set('IS_TEST', true);
registerWasmTrainingKernels({ faster: true });

/** Input gradient of one case, computed by whichever backend is active. */
function inputGradient(c: ConvCase, seed: number): tf.Tensor {
  const { x, filter, dy, toLayout } = convShapes(c);
  const inputs = { dy: seededTensor(seed, toLayout(dy)), filter: seededTensor(seed + 1, filter) };
  return tf.engine().runKernel(tf.Conv2DBackpropInput, inputs, {
    strides: c.stride,
    pad: c.pad,
    dataFormat: c.dataFormat ?? 'NHWC',
    inputShape: toLayout(x),
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

test('the faster Conv2DBackpropInput is the one registered for wasm', () => {
  assert.equal(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')?.kernelFunc, conv2DBackpropInputConfig.kernelFunc);
});

test('Conv2DBackpropInput on wasm matches cpu for kernels 1/2/3/4/7, strides 1/2, same/valid', (t) =>
  expectWasmMatchesCpu(t, kernelGrid(CONV_SHAPES, [1, 2, 3, 4, 7], 300), inputGradient));

test('Conv2DBackpropInput on wasm matches cpu for numeric and explicit padding, strides 3 and (1, 2), non-square kernels and NCHW', (t) => {
  const cases: ConvCase[] = [
    ...CONV_PADDING_CASES,
    { batch: 2, height: 9, width: 10, inChannels: 3, outChannels: 4, kernel: [3, 2], stride: [1, 2], pad: 'same' },
    { batch: 2, height: 10, width: 9, inChannels: 3, outChannels: 4, kernel: [2, 5], stride: [2, 1], pad: 'valid' },
    { batch: 2, height: 9, width: 9, inChannels: 3, outChannels: 4, kernel: 3, stride: 2, pad: 'same', dataFormat: 'NCHW' },
  ];
  return expectWasmMatchesCpu(t, seeded(cases, 400), inputGradient);
});
