import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './index';
import { CONV_PADDING_CASES, CONV_SHAPES, ConvCase, convShapes, expectWasmMatchesCpu, kernelGrid, seeded, seededTensor } from '../../../test/support/kernels/kernel-test-grid';

// IS_TEST makes the engine check every kernel for leaked data ids (and silences tfjs's Node banner).
tf.env().set('IS_TEST', true);
registerWasmTrainingKernels();

/** Filter gradient of one case, computed by whichever backend is active. */
function filterGradient(c: ConvCase, seed: number): tf.Tensor {
  const { x, filter, dy, toLayout } = convShapes(c);
  const inputs = { x: seededTensor(seed, toLayout(x)), dy: seededTensor(seed + 1, toLayout(dy)) };
  return tf.engine().runKernel(tf.Conv2DBackpropFilter, inputs, {
    strides: c.stride,
    pad: c.pad,
    dataFormat: c.dataFormat ?? 'NHWC',
    filterShape: filter,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

test('Conv2DBackpropFilter on wasm matches cpu for kernels 1/3/7, strides 1/2, same/valid', (t) =>
  expectWasmMatchesCpu(t, kernelGrid(CONV_SHAPES, [1, 3, 7], 100), filterGradient));

test('Conv2DBackpropFilter on wasm matches cpu for numeric and explicit padding, stride 3, padded 1x1 and NCHW', (t) => {
  const cases: ConvCase[] = [
    ...CONV_PADDING_CASES,
    { batch: 2, height: 9, width: 9, inChannels: 3, outChannels: 4, kernel: 3, stride: 2, pad: 'same', dataFormat: 'NCHW' },
  ];
  return expectWasmMatchesCpu(t, seeded(cases, 200), filterGradient);
});
