import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { seededNormals, wasmVersusCpu } from '../../../test/support/kernels/cpu-reference';
import { configureWasmKernels } from './configure-wasm-kernels';
import { loadOnednnAddon } from './load-onednn-addon';

tf.env().set('IS_TEST', true);
const load = loadOnednnAddon();
const skip = 'reason' in load ? `oneDNN addon not built: ${load.reason}` : false;
if (skip) console.log(`# skipping the oneDNN MatMul tests: ${skip}`);
else configureWasmKernels({ faster: true, native: true });
const TOLERANCE = 1e-4;

const tensor = (seed: number, shape: number[]) => tf.tensor(seededNormals(seed, shape.reduce((a, b) => a * b, 1)), shape);

test('oneDNN BatchMatMul matches cpu for every transpose combination, batched and not', { skip }, async (t) => {
  let worst = 0;
  for (const [batch, m, k, n] of [[1, 5, 7, 3], [4, 9, 16, 11], [1, 64, 512, 128]]) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const aShape = transposeA ? [k, m] : [m, k];
        const bShape = transposeB ? [n, k] : [k, n];
        const batched = (s: number[]) => (batch === 1 ? s : [batch, ...s]);
        const error = await wasmVersusCpu(() => tf.matMul(tensor(1, batched(aShape)), tensor(2, batched(bShape)), transposeA, transposeB));
        assert.ok(error <= TOLERANCE, `batch ${batch} ${m}x${k}x${n} tA ${transposeA} tB ${transposeB}: ${error}`);
        worst = Math.max(worst, error);
      }
    }
  }
  t.diagnostic(`worst max relative error ${worst.toExponential(2)}`);
});

test('oneDNN BatchMatMul: broadcast batches (delegated to wasm) and the gradients of a Linear layer match cpu', { skip }, async () => {
  const broadcast = await wasmVersusCpu(() => tf.matMul(tensor(3, [3, 4, 6]), tensor(4, [6, 5])));
  assert.ok(broadcast <= TOLERANCE, `broadcast: ${broadcast}`);
  const gradients = await wasmVersusCpu(() => {
    const x = tensor(5, [32, 48]);
    const w = tensor(6, [48, 24]);
    const upstream = tensor(7, [32, 24]);
    return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a, b), upstream)))([x, w]);
  });
  assert.ok(gradients <= TOLERANCE, `gradients: ${gradients}`);
});

test('the oneDNN BatchMatMul adds exactly its output and leaves its inputs intact', { skip }, async () => {
  await tf.setBackend('wasm');
  const a = tensor(8, [6, 10]);
  const b = tensor(9, [8, 10]);
  const buffers = tf.engine().backend.numDataIds();
  const c = tf.matMul(a, b, false, true);
  assert.equal(tf.engine().backend.numDataIds(), buffers + 1);
  assert.deepEqual(c.shape, [6, 8]);
  c.dispose();
  assert.deepEqual(a.dataSync(), seededNormals(8, 60));
  assert.deepEqual(b.dataSync(), seededNormals(9, 80));
  tf.dispose([a, b]);
});
