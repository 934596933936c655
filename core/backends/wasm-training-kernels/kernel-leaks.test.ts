import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { seededNormals } from '../../../test/support/kernels/cpu-reference';
import { registerWasmTrainingKernels } from './index';

registerWasmTrainingKernels({ faster: true });

interface KernelCall {
  readonly name: string;
  readonly inputs: Record<string, number[]>;
  readonly attrs: Record<string, unknown>;
}

// Stride 2 and a negative margin (valid, even size) take the crop and zero-insertion paths too.
const CALLS: KernelCall[] = [
  {
    name: tf.Conv2DBackpropFilter,
    inputs: { x: [2, 8, 8, 3], dy: [2, 3, 3, 4] },
    attrs: { strides: 2, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] },
  },
  {
    name: tf.Conv2DBackpropFilter,
    inputs: { x: [2, 8, 8, 3], dy: [2, 4, 4, 4] },
    attrs: { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [1, 1, 3, 4] },
  },
  {
    name: tf.Conv2DBackpropInput,
    inputs: { dy: [2, 3, 3, 4], filter: [3, 3, 3, 4] },
    attrs: { strides: 2, pad: 'valid', dataFormat: 'NHWC', inputShape: [2, 8, 8, 3] },
  },
  {
    name: tf.DepthwiseConv2dNativeBackpropFilter,
    inputs: { x: [2, 8, 8, 3], dy: [2, 3, 3, 6] },
    attrs: { strides: 2, pad: 'valid', dilations: 1, filterShape: [3, 3, 3, 2] },
  },
  {
    name: tf.DepthwiseConv2dNativeBackpropInput,
    inputs: { dy: [2, 3, 3, 6], filter: [3, 3, 3, 2] },
    attrs: { strides: 2, pad: 'valid', dilations: 1, inputShape: [2, 8, 8, 3] },
  },
];

test('each supplied kernel, run outside any tidy, adds exactly its output and leaves its inputs intact', async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  for (const [i, call] of CALLS.entries()) {
    const inputs: tf.NamedTensorMap = {};
    const values: Record<string, Float32Array> = {};
    for (const [key, shape] of Object.entries(call.inputs)) {
      values[key] = seededNormals(i * 10 + key.length, shape.reduce((a, b) => a * b));
      inputs[key] = tf.tensor(values[key], shape);
    }
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = tf.engine().backend.numDataIds();

    const output = tf.engine().runKernel(call.name, inputs, call.attrs as tf.NamedAttrMap) as tf.Tensor;

    assert.equal(tf.memory().numTensors, tensorsBefore + 1, `${call.name}: tensors besides the output`);
    assert.equal(tf.engine().backend.numDataIds(), buffersBefore + 1, `${call.name}: buffers besides the output`);
    output.dispose();
    assert.equal(tf.memory().numTensors, tensorsBefore, call.name);
    assert.equal(tf.engine().backend.numDataIds(), buffersBefore, call.name);
    // A kernel that wrapped an input without taking a reference would have freed it by now.
    for (const [key, tensor] of Object.entries(inputs)) {
      assert.deepEqual(tensor.dataSync(), values[key], `${call.name}: input ${key} changed or freed`);
    }
    tf.dispose(Object.values(inputs));
  }
});
