import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { seededNormals, wasmVersusCpu } from '../../../test/support/kernels/cpu-reference';
import { createResNet } from '../../models/resnet';
import { Rng } from '../../random/rng';
import { configureWasmKernels } from './configure-wasm-kernels';
import { loadOnednnAddon } from './load-onednn-addon';

// IS_TEST makes the engine check every kernel for leaked data ids (and silences tfjs's Node banner).
tf.env().set('IS_TEST', true);
const load = loadOnednnAddon();
const skip = 'reason' in load ? `oneDNN addon not built: ${load.reason}` : false;
if (skip) console.log(`# skipping the oneDNN kernel tests: ${skip}`);
else configureWasmKernels({ faster: true, native: true });

const TOLERANCE = 1e-4;
type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
type Kind = 'forward' | 'input' | 'filter';

interface Case {
  kind: Kind;
  x: [number, number, number, number];
  kernel: number;
  outChannels: number;
  stride: number;
  pad: Pad;
  dilation?: number;
  dataFormat?: 'NHWC' | 'NCHW';
}

/** One kernel call of `c` on the active backend, from seeded inputs. */
function runCase(c: Case, seed: number): tf.Tensor {
  const filterShape: [number, number, number, number] = [c.kernel, c.kernel, c.x[3], c.outChannels];
  const info = tf.backend_util.computeConv2DInfo(c.x, filterShape, c.stride, c.dilation ?? 1, c.pad);
  const nchw = c.dataFormat === 'NCHW';
  const toLayout = (s: number[]) => (nchw ? [s[0], s[3], s[1], s[2]] : s);
  const make = (shape: number[], s: number, layout = true) =>
    tf.tensor(seededNormals(s, shape.reduce((a, b) => a * b)), layout ? toLayout(shape) : shape);
  const attrs = { strides: c.stride, pad: c.pad, dataFormat: c.dataFormat ?? 'NHWC', dilations: c.dilation ?? 1 };
  switch (c.kind) {
    case 'forward':
      return tf.engine().runKernel(tf.Conv2D, { x: make(c.x, seed), filter: make(filterShape, seed + 1, false) }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    case 'input':
      return tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: make(info.outShape, seed), filter: make(filterShape, seed + 1, false) },
        { ...attrs, inputShape: toLayout(c.x) } as unknown as tf.NamedAttrMap) as tf.Tensor;
    case 'filter':
      return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: make(c.x, seed), dy: make(info.outShape, seed + 1) },
        { ...attrs, filterShape } as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
}

test('the oneDNN kernels are registered for wasm', { skip }, () => {
  const status = configureWasmKernels({ faster: true, native: true });
  assert.match(status, /convolutions and MatMul in oneDNN [\d.]+ \([^)]+\), BatchNorm in C\+\+/);
});

test('oneDNN Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter match cpu: kernels 1/3/7, strides 1/2, same/valid/numeric', { skip }, async (t) => {
  const worst: Record<Kind, number> = { forward: 0, input: 0, filter: 0 };
  let seed = 500;
  for (const kind of ['forward', 'input', 'filter'] as const) {
    for (const x of [[2, 9, 8, 3], [3, 8, 10, 5]] as [number, number, number, number][]) {
      for (const kernel of [1, 3, 7]) {
        for (const stride of [1, 2]) {
          for (const pad of ['same', 'valid', Math.floor(kernel / 2)] as Pad[]) {
            const c: Case = { kind, x, kernel, outChannels: 4, stride, pad };
            const caseSeed = seed++;
            const error = await wasmVersusCpu(() => runCase(c, caseSeed));
            assert.ok(error <= TOLERANCE, `${JSON.stringify(c)}: max relative error ${error}`);
            worst[kind] = Math.max(worst[kind], error);
          }
        }
      }
    }
  }
  t.diagnostic(`worst max relative error: forward ${worst.forward.toExponential(2)}, input ${worst.input.toExponential(2)}, filter ${worst.filter.toExponential(2)}`);
});

test('oneDNN kernels match cpu for explicit and asymmetric padding, stride 3, dilation 2 and NCHW (delegated)', { skip }, async (t) => {
  const explicit: Pad = [[0, 0], [2, 0], [1, 3], [0, 0]];
  const cases: Case[] = [];
  for (const kind of ['forward', 'input', 'filter'] as const) {
    cases.push(
      { kind, x: [2, 8, 7, 3], kernel: 3, outChannels: 2, stride: 2, pad: explicit },
      { kind, x: [2, 11, 9, 3], kernel: 3, outChannels: 4, stride: 3, pad: 'valid' },
      { kind, x: [2, 8, 8, 4], kernel: 5, outChannels: 3, stride: 3, pad: 'same' },
      { kind, x: [2, 9, 9, 3], kernel: 3, outChannels: 4, stride: 2, pad: 'same', dataFormat: kind === 'forward' ? 'NHWC' : 'NCHW' },
    );
  }
  cases.push({ kind: 'forward', x: [2, 10, 10, 3], kernel: 3, outChannels: 4, stride: 1, pad: 'same', dilation: 2 });
  let worst = 0;
  for (const [i, c] of cases.entries()) {
    const error = await wasmVersusCpu(() => runCase(c, 700 + i));
    assert.ok(error <= TOLERANCE, `${JSON.stringify(c)}: max relative error ${error}`);
    worst = Math.max(worst, error);
  }
  t.diagnostic(`worst max relative error ${worst.toExponential(2)}`);
});

test('tf.variableGrads of ResNet-18 (width 4, CIFAR stem) agrees on wasm with oneDNN and on cpu', { skip }, async (t) => {
  const compute = () => {
    const rng = new Rng(7);
    const backbone = createResNet({ name: 'onednn-test/backbone', rng, depth: 18, stem: 'cifar', baseWidth: 4, inputChannels: 3 });
    try {
      const variables = backbone.trainableVariables();
      const x = tf.tensor4d(seededNormals(11, 4 * 16 * 16 * 3), [4, 16, 16, 3]);
      // A fixed random target keeps every gradient away from zero (a loss that BatchNorm makes
      // nearly invariant would leave gradients of rounding size, where relative error means nothing).
      const target = tf.tensor2d(seededNormals(12, 4 * backbone.featureDim), [4, backbone.featureDim]);
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(backbone.apply(x, { training: true }), target))) as tf.Scalar, variables);
      return [value, ...variables.map((v) => grads[v.name])];
    } finally {
      backbone.dispose();
    }
  };
  const error = await wasmVersusCpu(compute);
  t.diagnostic(`worst max relative error over the loss and every gradient ${error.toExponential(2)}`);
  assert.ok(error <= TOLERANCE, `max relative error ${error}`);
});

test('each oneDNN kernel, run outside any tidy, adds exactly its output and leaves its inputs intact', { skip }, async () => {
  await tf.setBackend('wasm');
  for (const [i, kind] of (['forward', 'input', 'filter'] as const).entries()) {
    const c: Case = { kind, x: [2, 8, 8, 3], kernel: 3, outChannels: 4, stride: 2, pad: 1 };
    const before = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    // runCase makes its two inputs outside a tidy: 2 inputs + 1 output.
    const out = runCase(c, 900 + i);
    assert.equal(tf.memory().numTensors, before + 3, kind);
    assert.equal(tf.engine().backend.numDataIds(), buffers + 3, kind);
    out.dispose();
    assert.equal(tf.engine().backend.numDataIds(), buffers + 2, kind);
  }
});

test('BCL_NATIVE_KERNELS=0 (native: false) puts the wasm kernels back', { skip }, () => {
  const before = tf.getKernel(tf.Conv2D, 'wasm')?.kernelFunc;
  const status = configureWasmKernels({ faster: true, native: false });
  assert.match(status, /native kernels off/);
  assert.notEqual(tf.getKernel(tf.Conv2D, 'wasm')?.kernelFunc, before);
  configureWasmKernels({ faster: true, native: true });
  assert.equal(tf.getKernel(tf.Conv2D, 'wasm')?.kernelFunc, before);
});

test('a 1x1 stride-2 filter gradient on an even input (a ResNet downsample) runs and matches cpu at 16x56x56x8', { skip }, async () => {
  // oneDNN 2.6 read past the input here and crashed the process at the wasm heap's end; the addon
  // now copies the part of the input the windows reach and runs oneDNN on that.
  const c: Case = { kind: 'filter', x: [16, 56, 56, 8], kernel: 1, outChannels: 16, stride: 2, pad: 'valid' };
  const error = await wasmVersusCpu(() => runCase(c, 11));
  assert.ok(error <= TOLERANCE, `relative error ${error}`);
});
