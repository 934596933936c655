import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Image } from '../image';
import { autoContrast, channelHistograms, equalize, invert, posterize, solarize } from './point-ops';

function image(height: number, width: number, channels: number, values: ArrayLike<number>): Image {
  return { data: Uint8Array.from(values), height, width, channels };
}

const row = (values: number[]): Image => image(1, values.length, 1, values);

test('invert maps v to 255 - v and returns a new buffer', () => {
  const input = row([0, 1, 254, 255]);
  const out = invert(input);
  assert.deepEqual([...out.data], [255, 254, 1, 0]);
  assert.notEqual(out.data, input.data);
  assert.deepEqual([...input.data], [0, 1, 254, 255]);
});

test('solarize inverts values at or above the threshold, fractional thresholds included', () => {
  assert.deepEqual([...solarize(row([0, 127, 128, 255]), 128).data], [0, 127, 127, 0]);
  assert.deepEqual([...solarize(row([0, 36, 37, 255]), 110 / 3).data], [0, 36, 218, 0]);
  assert.deepEqual([...solarize(row([0, 200]), 0).data], [255, 55]);
  assert.deepEqual([...solarize(row([0, 255]), 256).data], [0, 255]);
});

test('posterize keeps the top bits, truncating and clamping the bit count to [1, 8]', () => {
  assert.deepEqual([...posterize(row([0xab, 0x0f]), 4).data], [0xa0, 0x00]);
  assert.deepEqual([...posterize(row([7, 255]), 5.9).data], [0, 248]);
  assert.deepEqual([...posterize(row([200, 127]), 0).data], [128, 0]);
  assert.deepEqual([...posterize(row([201, 3]), 8).data], [201, 3]);
});

test('autoContrast stretches each channel on its own (PIL-checked values)', () => {
  assert.deepEqual([...autoContrast(row([0, 10, 51])).data], [0, 50, 255]);
  // Channel 0 spans 0..51 (scale 5), channel 1 is constant (left alone), channel 2 spans 0..85.
  const rgb = image(1, 3, 3, [0, 77, 0, 10, 77, 85, 51, 77, 85]);
  assert.deepEqual([...autoContrast(rgb).data], [0, 77, 0, 50, 77, 255, 255, 77, 255]);
});

test('autoContrast and equalize leave constant images unchanged', () => {
  for (const channels of [1, 3]) {
    for (const value of [0, 77, 255]) {
      const flat = image(9, 11, channels, new Array(9 * 11 * channels).fill(value));
      assert.deepEqual(autoContrast(flat).data, flat.data, `autoContrast c=${channels} v=${value}`);
      assert.deepEqual(equalize(flat).data, flat.data, `equalize c=${channels} v=${value}`);
    }
  }
});

test('equalize follows PIL integer steps (hand-worked, PIL-checked)', () => {
  // 700 zeros and 300 x 200: step = (1000 - 300) // 255 = 2, lut[200] = 701 // 2 clipped to 255.
  const two = image(25, 40, 1, [...new Array(700).fill(0), ...new Array(300).fill(200)]);
  const out2 = equalize(two).data;
  assert.equal(out2[0], 0);
  assert.equal(out2[999], 255);
  // 256 x 10, 512 x 20, 256 x 30: step = 768 // 255 = 3 -> 0, 257 // 3 = 85, 769 // 3 clipped to 255.
  const three = image(32, 32, 1, [...new Array(256).fill(10), ...new Array(512).fill(20), ...new Array(256).fill(30)]);
  const out3 = equalize(three).data;
  assert.deepEqual([out3[0], out3[256], out3[1023]], [0, 85, 255]);
  // Too few pixels for a step: unchanged.
  const tiny = row([3, 9, 200]);
  assert.deepEqual(equalize(tiny).data, tiny.data);
});

test('channelHistograms counts each channel separately', () => {
  const hist = channelHistograms(image(1, 2, 3, [1, 2, 3, 1, 5, 3]));
  assert.equal(hist.length, 768);
  assert.equal(hist[1], 2);
  assert.equal(hist[256 + 2], 1);
  assert.equal(hist[256 + 5], 1);
  assert.equal(hist[512 + 3], 2);
});
