import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng';
import { registerCpuTrainingKernels } from './cpu-training-kernels';

/** Filter gradient written out as the definition, in float64: sum over b, y, x of x * dy. */
function referenceFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, k: number, stride: number, pad: number): Float64Array {
  const [b, h, w, ci] = x.shape;
  const [, oh, ow, co] = dy.shape;
  const xs = x.dataSync();
  const dys = dy.dataSync();
  const out = new Float64Array(k * k * ci * co);
  for (let n = 0; n < b; n++)
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++)
        for (let i = 0; i < k; i++)
          for (let j = 0; j < k; j++) {
            const r = y * stride + i - pad;
            const c = xx * stride + j - pad;
            if (r < 0 || r >= h || c < 0 || c >= w) continue;
            for (let a = 0; a < ci; a++)
              for (let o = 0; o < co; o++) out[((i * k + j) * ci + a) * co + o] += xs[((n * h + r) * w + c) * ci + a] * dys[((n * oh + y) * ow + xx) * co + o];
          }
  return out;
}

test('the cpu filter gradient, as a forward convolution, equals the definition (strides 1 and 2)', async () => {
  await tf.setBackend('cpu');
  registerCpuTrainingKernels();
  registerCpuTrainingKernels(); // idempotent
  const rng = new Rng(7);
  for (const [stride, k] of [[1, 3], [2, 3], [2, 1], [1, 1]]) {
    const pad = Math.floor(k / 2);
    const x = tf.tensor4d(Float32Array.from({ length: 2 * 7 * 7 * 3 }, () => rng.normal()), [2, 7, 7, 3]);
    const filter = tf.tensor4d(Float32Array.from({ length: k * k * 3 * 4 }, () => rng.normal()), [k, k, 3, 4]);
    const padded = (t: tf.Tensor4D) => tf.conv2d(tf.pad(t, [[0, 0], [pad, pad], [pad, pad], [0, 0]]), filter, stride, 'valid');
    const y = padded(x);
    const dy = tf.tensor4d(Float32Array.from({ length: y.size }, () => rng.normal()), y.shape as [number, number, number, number]);
    const grad = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]), f as tf.Tensor4D, stride, 'valid'), dy)))(filter);
    const expected = referenceFilterGrad(x, dy, k, stride, pad);
    const got = grad.dataSync();
    const scale = Math.max(...expected.map(Math.abs));
    got.forEach((g, i) => assert.ok(Math.abs(g - expected[i]) <= 1e-5 * scale, `stride ${stride} k ${k} element ${i}: ${g} vs ${expected[i]}`));
    tf.dispose([x, filter, y, dy, grad]);
  }
});
