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

test('useFasterWasmKernels swaps the replacements in and out idempotently, and wasm\'s own kernel works again after', async (t) => {
  const { useFasterWasmKernels, wasmFasterKernelConfigs } = await import('./index');
  await import('@tensorflow/tfjs-backend-wasm');
  const warn = t.mock.method(console, 'warn');
  const ours = (name: string) => wasmFasterKernelConfigs.find((c) => c.kernelName === name)?.kernelFunc;
  const compute = () =>
    tf.tidy(() => {
      const dy = tf.tensor4d(Float32Array.from({ length: 2 * 4 * 4 * 3 }, (_, i) => Math.sin(i)), [2, 4, 4, 3]);
      const filter = tf.tensor4d(Float32Array.from({ length: 3 * 3 * 2 * 3 }, (_, i) => Math.cos(i)), [3, 3, 2, 3]);
      return tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, {
        strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 8, 8, 2],
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
    });
  await tf.setBackend('wasm');
  await tf.ready();

  const names = wasmFasterKernelConfigs.map((c) => c.kernelName);
  assert.deepEqual(useFasterWasmKernels(true), names);
  assert.deepEqual(useFasterWasmKernels(true), names);
  assert.equal(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')?.kernelFunc, ours(tf.Conv2DBackpropInput));
  const fast = compute();
  assert.deepEqual(useFasterWasmKernels(false), []);
  assert.deepEqual(useFasterWasmKernels(false), []);
  assert.notEqual(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')?.kernelFunc, ours(tf.Conv2DBackpropInput));
  const stock = compute();
  // The two formulations sum the same products in a different order.
  const [a, b] = [fast.dataSync(), stock.dataSync()];
  assert.ok(a.every((v, i) => Math.abs(v - b[i]) <= 1e-5 * Math.max(1, Math.abs(b[i]))), 'stock and faster kernels disagree');
  useFasterWasmKernels(true);
  assert.equal(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')?.kernelFunc, ours(tf.Conv2DBackpropInput));
  tf.dispose([fast, stock]);
  assert.equal(warn.mock.callCount(), 0, 'swapping made tfjs warn about a double registration');
});

test('with the faster kernels, Identity and same-dtype Cast share memory on wasm; real casts still convert', async () => {
  const { registerWasmTrainingKernels } = await import('./index');
  await import('@tensorflow/tfjs-backend-wasm');
  registerWasmTrainingKernels({ faster: true });
  await tf.setBackend('wasm');
  await tf.ready();
  const x = tf.tensor1d([1.5, -2.25, 3]);
  const buffers = tf.engine().backend.numDataIds();
  const copy = tf.clone(x);
  const same = tf.cast(x, 'float32');
  assert.equal(tf.engine().backend.numDataIds(), buffers, 'Identity or Cast allocated a buffer');
  x.dispose();
  assert.deepEqual(Array.from(copy.dataSync()), [1.5, -2.25, 3], 'the clone lost its data when the original was disposed');
  const ints = tf.cast(copy, 'int32');
  assert.equal(ints.dtype, 'int32');
  assert.deepEqual(Array.from(ints.dataSync()), [1, -2, 3]);
  assert.equal(tf.engine().backend.numDataIds(), buffers + 1);
  tf.dispose([copy, same, ints]);
  assert.equal(tf.engine().backend.numDataIds(), buffers - 1);
});
