import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { seededNormals, wasmVersusCpu } from './cpu-reference';
import { conv2DBackpropInputConfig } from './conv-2d-backprop-input';
import { registerWasmTrainingKernels } from './index';

// IS_TEST makes the engine check every kernel for leaked data ids (and silences tfjs's Node banner).
tf.env().set('IS_TEST', true);
registerWasmTrainingKernels({ faster: true });

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

interface Case {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  kernel: number | [number, number];
  stride: number | [number, number];
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
}

const TOLERANCE = 1e-4;

/** Input gradient of one case, computed by whichever backend is active. */
function inputGradient(c: Case, seed: number): tf.Tensor {
  const nhwc: [number, number, number, number] = [c.batch, c.height, c.width, c.inChannels];
  const [kh, kw] = typeof c.kernel === 'number' ? [c.kernel, c.kernel] : c.kernel;
  const filterShape: [number, number, number, number] = [kh, kw, c.inChannels, c.outChannels];
  const info = tf.backend_util.computeConv2DInfo(nhwc, filterShape, c.stride, 1, c.pad);
  const dyNhwc = [c.batch, info.outHeight, info.outWidth, c.outChannels];
  const nchw = c.dataFormat === 'NCHW';
  const toLayout = (shape: number[]) => (nchw ? [shape[0], shape[3], shape[1], shape[2]] : shape);
  const dy = tf.tensor(seededNormals(seed, dyNhwc.reduce((a, b) => a * b)), toLayout(dyNhwc));
  const filter = tf.tensor(seededNormals(seed + 1, filterShape.reduce((a, b) => a * b)), filterShape);
  return tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, {
    strides: c.stride,
    pad: c.pad,
    dataFormat: c.dataFormat ?? 'NHWC',
    inputShape: toLayout(nhwc),
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

const SHAPES = [
  { batch: 2, height: 9, width: 8, inChannels: 3, outChannels: 4 },
  { batch: 3, height: 8, width: 10, inChannels: 5, outChannels: 2 },
];

test('the faster Conv2DBackpropInput is the one registered for wasm', () => {
  assert.equal(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')?.kernelFunc, conv2DBackpropInputConfig.kernelFunc);
});

test('Conv2DBackpropInput on wasm matches cpu for kernels 1/2/3/4/7, strides 1/2, same/valid', async (t) => {
  let worst = 0;
  let seed = 300;
  for (const shape of SHAPES) {
    for (const kernel of [1, 2, 3, 4, 7]) {
      for (const stride of [1, 2]) {
        for (const pad of ['same', 'valid'] as const) {
          const c: Case = { ...shape, kernel, stride, pad };
          const caseSeed = seed++;
          const error = await wasmVersusCpu(() => inputGradient(c, caseSeed));
          assert.ok(error <= TOLERANCE, `${JSON.stringify(c)}: max relative error ${error}`);
          worst = Math.max(worst, error);
        }
      }
    }
  }
  t.diagnostic(`worst max relative error ${worst.toExponential(2)}`);
});

test('Conv2DBackpropInput on wasm matches cpu for numeric and explicit padding, strides 3 and (1, 2), non-square kernels and NCHW', async (t) => {
  const cases: Case[] = [
    // PyTorch-style symmetric numeric padding, as core/models' ResNet uses it.
    { batch: 2, height: 16, width: 16, inChannels: 3, outChannels: 4, kernel: 7, stride: 2, pad: 3 },
    { batch: 2, height: 8, width: 9, inChannels: 4, outChannels: 6, kernel: 3, stride: 2, pad: 1 },
    { batch: 2, height: 8, width: 8, inChannels: 4, outChannels: 6, kernel: 3, stride: 1, pad: 1 },
    { batch: 2, height: 8, width: 8, inChannels: 6, outChannels: 4, kernel: 1, stride: 2, pad: 0 },
    { batch: 2, height: 11, width: 9, inChannels: 3, outChannels: 4, kernel: 3, stride: 3, pad: 'valid' },
    { batch: 2, height: 8, width: 8, inChannels: 4, outChannels: 3, kernel: 5, stride: 3, pad: 'same' },
    { batch: 2, height: 8, width: 7, inChannels: 3, outChannels: 2, kernel: 3, stride: 2, pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
    { batch: 2, height: 6, width: 6, inChannels: 3, outChannels: 5, kernel: 1, stride: 1, pad: [[0, 0], [1, 1], [0, 2], [0, 0]] },
    { batch: 2, height: 9, width: 10, inChannels: 3, outChannels: 4, kernel: [3, 2], stride: [1, 2], pad: 'same' },
    { batch: 2, height: 10, width: 9, inChannels: 3, outChannels: 4, kernel: [2, 5], stride: [2, 1], pad: 'valid' },
    { batch: 2, height: 9, width: 9, inChannels: 3, outChannels: 4, kernel: 3, stride: 2, pad: 'same', dataFormat: 'NCHW' },
  ];
  let worst = 0;
  for (const [i, c] of cases.entries()) {
    const error = await wasmVersusCpu(() => inputGradient(c, 400 + i));
    assert.ok(error <= TOLERANCE, `${JSON.stringify(c)}: max relative error ${error}`);
    worst = Math.max(worst, error);
  }
  t.diagnostic(`worst max relative error ${worst.toExponential(2)}`);
});
