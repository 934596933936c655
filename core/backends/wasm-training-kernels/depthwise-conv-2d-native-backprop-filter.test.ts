import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { seededNormals, wasmVersusCpu } from './cpu-reference';
import { registerWasmTrainingKernels } from './index';

// IS_TEST makes the engine check every kernel for leaked data ids (and silences tfjs's Node banner).
tf.env().set('IS_TEST', true);
registerWasmTrainingKernels();

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

interface Case {
  batch: number;
  height: number;
  width: number;
  channels: number;
  multiplier: number;
  kernel: number;
  stride: number;
  pad: Pad;
}

const TOLERANCE = 1e-4;

/** Depthwise filter gradient of one case, computed by whichever backend is active. */
function filterGradient(c: Case, seed: number, dilations: number = 1): tf.Tensor {
  const xShape: [number, number, number, number] = [c.batch, c.height, c.width, c.channels];
  const filterShape: [number, number, number, number] = [c.kernel, c.kernel, c.channels, c.multiplier];
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, c.stride, 1, c.pad, undefined, true);
  const dyShape = [c.batch, info.outHeight, info.outWidth, c.channels * c.multiplier];
  const x = tf.tensor(seededNormals(seed, xShape.reduce((a, b) => a * b)), xShape);
  const dy = tf.tensor(seededNormals(seed + 1, dyShape.reduce((a, b) => a * b)), dyShape);
  return tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, {
    strides: c.stride,
    pad: c.pad,
    dilations,
    filterShape,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

const SHAPES = [
  { batch: 2, height: 9, width: 8, channels: 3, multiplier: 1 },
  { batch: 3, height: 8, width: 10, channels: 4, multiplier: 2 },
];

test('DepthwiseConv2dNativeBackpropFilter on wasm matches cpu for kernels 1/3/7, strides 1/2, same/valid, multipliers 1/2', async (t) => {
  let worst = 0;
  let seed = 300;
  for (const shape of SHAPES) {
    for (const kernel of [1, 3, 7]) {
      for (const stride of [1, 2]) {
        for (const pad of ['same', 'valid'] as const) {
          const c: Case = { ...shape, kernel, stride, pad };
          const caseSeed = seed++;
          const error = await wasmVersusCpu(() => filterGradient(c, caseSeed));
          assert.ok(error <= TOLERANCE, `${JSON.stringify(c)}: max relative error ${error}`);
          worst = Math.max(worst, error);
        }
      }
    }
  }
  t.diagnostic(`worst max relative error ${worst.toExponential(2)}`);
});

test('DepthwiseConv2dNativeBackpropFilter on wasm matches cpu for numeric and explicit padding and stride 3', async (t) => {
  const cases: Case[] = [
    { batch: 2, height: 8, width: 9, channels: 4, multiplier: 1, kernel: 3, stride: 2, pad: 1 },
    { batch: 2, height: 8, width: 8, channels: 3, multiplier: 2, kernel: 5, stride: 1, pad: 2 },
    { batch: 2, height: 11, width: 9, channels: 3, multiplier: 2, kernel: 3, stride: 3, pad: 'valid' },
    { batch: 2, height: 8, width: 7, channels: 3, multiplier: 1, kernel: 3, stride: 2, pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
  ];
  let worst = 0;
  for (const [i, c] of cases.entries()) {
    const error = await wasmVersusCpu(() => filterGradient(c, 400 + i));
    assert.ok(error <= TOLERANCE, `${JSON.stringify(c)}: max relative error ${error}`);
    worst = Math.max(worst, error);
  }
  t.diagnostic(`worst max relative error ${worst.toExponential(2)}`);
});

test('DepthwiseConv2dNativeBackpropFilter on wasm rejects dilations with a hint', async () => {
  await tf.setBackend('wasm');
  const c: Case = { batch: 1, height: 6, width: 6, channels: 2, multiplier: 1, kernel: 3, stride: 1, pad: 'valid' };
  const before = tf.memory().numTensors;
  assert.throws(() => tf.tidy(() => filterGradient(c, 500, 2)), /expected dilations of 1, but got \[2, 2\]\. Hint:/);
  assert.equal(tf.memory().numTensors, before);
});
