import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng';
import { createConv2d } from './conv2d';
import { useCpuBackend } from './spec-helpers';

const EVAL = { training: false } as const;

// 4x4 single-channel image holding 1..16 row by row.
function ramp4x4(): tf.Tensor4D {
  return tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);
}

describe('createConv2d', () => {
  before(useCpuBackend);

  it('pads symmetrically at stride 2 like PyTorch padding=k//2 (hand-computed 3x3 box sum)', () => {
    const conv = createConv2d({ name: 'conv-box', rng: new Rng(0), inChannels: 1, outChannels: 1, kernelSize: 3, stride: 2 });
    conv.trainableVariables()[0].assign(tf.ones([3, 3, 1, 1]));
    const x = ramp4x4();
    const y = conv.apply(x, EVAL);
    // Windows centred on pixels (0,0), (0,2), (2,0), (2,2), with a zero row above and a zero
    // column to the left. tfjs 'same' pads only below/right at stride 2 and would give 54 first.
    assert.deepEqual(y.shape, [1, 2, 2, 1]);
    assert.deepEqual(Array.from(y.dataSync()), [14, 30, 57, 99]);
    tf.dispose([x, y]);
    conv.dispose();
  });

  it('reads the kernel as a correlation with HWIO layout (single tap at the bottom-right)', () => {
    const conv = createConv2d({ name: 'conv-tap', rng: new Rng(0), inChannels: 1, outChannels: 1, kernelSize: 3, stride: 2 });
    const tap = new Float32Array(9);
    tap[8] = 1; // kernel row 2, column 2: picks x[2i + 1, 2j + 1]
    conv.trainableVariables()[0].assign(tf.tensor4d(tap, [3, 3, 1, 1]));
    const x = ramp4x4();
    const y = conv.apply(x, EVAL);
    assert.deepEqual(Array.from(y.dataSync()), [6, 8, 14, 16]);
    tf.dispose([x, y]);
    conv.dispose();
  });

  it('mixes channels as x @ W for a 1x1 kernel [1, 1, in, out]', () => {
    const conv = createConv2d({ name: 'conv-1x1', rng: new Rng(0), inChannels: 2, outChannels: 3, kernelSize: 1 });
    const w = [1, 2, 3, 4, 5, 6]; // W[in][out]
    conv.trainableVariables()[0].assign(tf.tensor4d(w, [1, 1, 2, 3]));
    const x = tf.tensor4d([1, 10, -1, 0.5], [1, 1, 2, 2]);
    const y = conv.apply(x, EVAL);
    // pixel (1, 10): [1*1 + 10*4, 1*2 + 10*5, 1*3 + 10*6]; pixel (-1, 0.5): [-1 + 2, -2 + 2.5, -3 + 3]
    assert.deepEqual(Array.from(y.dataSync()), [41, 52, 63, 1, 0.5, 0]);
    tf.dispose([x, y]);
    conv.dispose();
  });

  it('gives floor((in + 2p - k) / s) + 1 outputs (7x7 stride-2 stem on odd and even sizes)', () => {
    const conv = createConv2d({ name: 'conv-stem', rng: new Rng(0), inChannels: 3, outChannels: 2, kernelSize: 7, stride: 2 });
    for (const [size, expected] of [
      [8, 4],
      [9, 5],
      [32, 16],
    ]) {
      const x = tf.zeros([1, size, size, 3]);
      const y = conv.apply(x, EVAL);
      assert.deepEqual(y.shape, [1, expected, expected, 2], `input ${size}`);
      tf.dispose([x, y]);
    }
    conv.dispose();
  });

  it('initialises kaiming-normal with fan_out: mean 0, std sqrt(2 / (k * k * out))', () => {
    const conv = createConv2d({ name: 'conv-init', rng: new Rng(3), inChannels: 64, outChannels: 32, kernelSize: 3 });
    const [kernel] = conv.trainableVariables();
    assert.equal(kernel.name, 'conv-init/kernel');
    assert.deepEqual(kernel.shape, [3, 3, 64, 32]);
    const values = Array.from(kernel.dataSync());
    const n = values.length;
    const mean = values.reduce((s, v) => s + v, 0) / n;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
    const expectedStd = Math.sqrt(2 / (3 * 3 * 32));
    // 18,432 draws: the sample std is within ~0.5% of the truth (5 standard errors allowed).
    assert.ok(Math.abs(std / expectedStd - 1) < 0.03, `std ${std} vs ${expectedStd}`);
    assert.ok(Math.abs(mean) < 5 * expectedStd / Math.sqrt(n), `mean ${mean}`);
    conv.dispose();
  });

  it('rejects a non-integer kernel size with the option path', () => {
    assert.throws(
      () => createConv2d({ name: 'conv-bad', rng: new Rng(0), inChannels: 1, outChannels: 1, kernelSize: 2.5 }),
      /conv-bad\.kernelSize must be a positive integer, but got 2\.5/,
    );
  });
});
