import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Image } from '../image';
import { affineNearest, horizontalFlip, rotate, shearX, shearY, translateX, translateY } from './geometry';

function image(height: number, width: number, channels: number, values: ArrayLike<number>): Image {
  return { data: Uint8Array.from(values), height, width, channels };
}

function ramp(height: number, width: number, channels: number): Image {
  return image(height, width, channels, Array.from({ length: height * width * channels }, (_, i) => (i * 37 + 11) % 256));
}

test('horizontalFlip mirrors rows and keeps pixels whole', () => {
  assert.deepEqual([...horizontalFlip(image(1, 3, 1, [1, 2, 3])).data], [3, 2, 1]);
  assert.deepEqual([...horizontalFlip(image(1, 2, 3, [1, 2, 3, 4, 5, 6])).data], [4, 5, 6, 1, 2, 3]);
});

test('rotate turns counter-clockwise; quarter turns are exact transposes (PIL-checked)', () => {
  const square = image(2, 2, 1, [1, 2, 3, 4]);
  assert.deepEqual([...rotate(square, 90).data], [2, 4, 1, 3]);
  assert.deepEqual([...rotate(square, -90).data], [3, 1, 4, 2]);
  assert.deepEqual(rotate(square, 270).data, rotate(square, -90).data);
  assert.deepEqual([...rotate(square, 180).data], [4, 3, 2, 1]);
  const rgb = ramp(5, 7, 3);
  assert.deepEqual(rotate(rgb, 0).data, rgb.data);
  assert.deepEqual(rotate(rgb, 360).data, rgb.data);
  assert.deepEqual(rotate(rgb, -30).data, rotate(rgb, 330).data);
});

test('rotate about the centre fills uncovered corners with 0', () => {
  const white = image(8, 8, 3, new Array(8 * 8 * 3).fill(255));
  const out = rotate(white, 45).data;
  assert.deepEqual([...out.subarray(0, 3)], [0, 0, 0]);
  const centre = (4 * 8 + 4) * 3;
  assert.deepEqual([...out.subarray(centre, centre + 3)], [255, 255, 255]);
});

test('translate moves content by a fraction of the side (positive: left / up), filling 0 (PIL-checked)', () => {
  assert.deepEqual([...translateX(image(1, 4, 1, [1, 2, 3, 4]), 0.25).data], [2, 3, 4, 0]);
  assert.deepEqual([...translateX(image(1, 4, 1, [1, 2, 3, 4]), -0.5).data], [0, 0, 1, 2]);
  assert.deepEqual([...translateY(image(4, 1, 1, [1, 2, 3, 4]), 0.25).data], [2, 3, 4, 0]);
});

test('shear samples at pixel centres in 16.16 fixed point (PIL-checked)', () => {
  // x_in = x + 0.5 + 1 * (y + 0.5): row 0 shifts by 1, row 1 by 2.
  assert.deepEqual([...shearX(image(2, 4, 1, [1, 2, 3, 4, 5, 6, 7, 8]), 1).data], [2, 3, 4, 0, 7, 8, 0, 0]);
  const rgb = ramp(6, 5, 3);
  assert.deepEqual(shearX(rgb, 0).data, rgb.data);
  assert.deepEqual(shearY(rgb, 0).data, rgb.data);
});

test('affine ops keep shape on 1- and 3-channel images', () => {
  for (const channels of [1, 3]) {
    const input = ramp(9, 13, channels);
    for (const out of [shearX(input, 0.3), shearY(input, -0.4), translateX(input, 0.2), translateY(input, -0.1), rotate(input, 17)]) {
      assert.deepEqual([out.height, out.width, out.channels, out.data.length], [9, 13, channels, input.data.length]);
    }
  }
});

test('affineNearest with a huge offset takes the double path and stays empty', () => {
  const out = affineNearest(ramp(3, 3, 1), [1, 0.5, 1e6, 0, 1, 0]);
  assert.ok(out.data.every((v) => v === 0));
});
