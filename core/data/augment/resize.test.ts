import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBclError } from '../../errors';
import type { Image } from '../image';
import { bicubicCoefficients, resizedCrop } from './resize';

function ramp(height: number, width: number, channels: number): Image {
  const data = Uint8Array.from({ length: height * width * channels }, (_, i) => (i * 53 + 7) % 256);
  return { data, height, width, channels };
}

/** Keys cubic, a = -0.5, written out independently of the implementation. */
function keys(x: number): number {
  const t = Math.abs(x);
  if (t < 1) return 1.5 * t ** 3 - 2.5 * t ** 2 + 1;
  if (t < 2) return -0.5 * t ** 3 + 2.5 * t ** 2 - 4 * t + 2;
  return 0;
}

test('2x upsampling weights are the normalised cubic at the pixel-centre offsets', () => {
  // Output pixel 0 of 2 -> 4 sits at source x = 0.25: taps 0 and 1 at distances 0.25 and 1.25.
  const { bounds, weights, ksize } = bicubicCoefficients(2, 4);
  assert.deepEqual([bounds[0], bounds[1]], [0, 2]);
  const w0 = keys(0.25);
  const w1 = keys(1.25);
  assert.equal(weights[0], Math.trunc(0.5 + (w0 / (w0 + w1)) * 2 ** 22));
  assert.equal(weights[1], Math.trunc(-0.5 + (w1 / (w0 + w1)) * 2 ** 22));
  assert.equal(ksize, 5);
});

test('downsampling widens the kernel by the scale (antialiasing)', () => {
  // 4 -> 2: output pixel 0 is centred at 1.0 and sees 4 taps at distances (x + 0.5 - 1) / 2.
  const { bounds, weights } = bicubicCoefficients(4, 2);
  assert.deepEqual([bounds[0], bounds[1]], [0, 4]);
  const w = [-0.25, 0.25, 0.75, 1.25].map(keys);
  const sum = w.reduce((a, b) => a + b, 0);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(weights[i] - (w[i] / sum) * 2 ** 22) <= 1, `tap ${i}`);
});

test('a full-image crop at the same size is an exact copy; a same-size crop is exact', () => {
  const input = ramp(7, 9, 3);
  assert.deepEqual(resizedCrop(input, 0, 0, 7, 9, 7, 9).data, input.data);
  const part = resizedCrop(input, 2, 3, 4, 5, 4, 5);
  for (let y = 0; y < 4; y++) {
    const src = ((2 + y) * 9 + 3) * 3;
    assert.deepEqual([...part.data.subarray(y * 15, y * 15 + 15)], [...input.data.subarray(src, src + 15)]);
  }
});

test('constant images stay constant when up- or downsampled, 1 or 3 channels', () => {
  for (const channels of [1, 3]) {
    const flat: Image = { data: new Uint8Array(20 * 30 * channels).fill(201), height: 20, width: 30, channels };
    for (const [h, w] of [[64, 64], [5, 3], [20, 7], [1, 1]]) {
      const out = resizedCrop(flat, 2, 4, 15, 21, h, w);
      assert.equal(out.data.length, h * w * channels);
      assert.ok(out.data.every((v) => v === 201), `${channels}ch -> ${h}x${w}`);
    }
  }
});

test('a crop outside the image is refused with a BclError', () => {
  assert.throws(() => resizedCrop(ramp(8, 8, 3), 4, 0, 5, 8, 8, 8), isBclError);
  assert.throws(() => resizedCrop(ramp(8, 8, 3), 0, 0, 8, 8, 0, 8), isBclError);
});
