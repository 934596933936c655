import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Image } from '../image';
import { adjustBrightness, adjustContrast, adjustSaturation, adjustSharpness, grayscale, luma, smooth } from './enhance';

function image(height: number, width: number, channels: number, values: ArrayLike<number>): Image {
  return { data: Uint8Array.from(values), height, width, channels };
}

test("luma is PIL's rounded 'L' conversion (docs formula R*299/1000 + G*587/1000 + B*114/1000)", () => {
  assert.equal(luma(255, 0, 0), 76);
  assert.equal(luma(0, 255, 0), 150);
  assert.equal(luma(0, 0, 255), 29);
  assert.equal(luma(255, 255, 255), 255);
  assert.equal(luma(0, 0, 0), 0);
});

test('grayscale replicates luma to 3 channels, keeps 1-channel images at 1 by default', () => {
  const rgb = image(1, 2, 3, [255, 0, 0, 0, 0, 255]);
  assert.deepEqual([...grayscale(rgb).data], [76, 76, 76, 29, 29, 29]);
  assert.deepEqual([...grayscale(rgb, 1).data], [76, 29]);
  const grey = image(1, 2, 1, [10, 20]);
  const same = grayscale(grey);
  assert.equal(same.channels, 1);
  assert.deepEqual([...same.data], [10, 20]);
  assert.deepEqual([...grayscale(grey, 3).data], [10, 10, 10, 20, 20, 20]);
});

test('brightness truncates when darkening and clips when brightening (PIL-checked)', () => {
  const px = image(1, 3, 1, [201, 100, 200]);
  assert.deepEqual([...adjustBrightness(px, 0.5).data], [100, 50, 100]);
  assert.deepEqual([...adjustBrightness(px, 2).data], [255, 200, 255]);
  assert.deepEqual([...adjustBrightness(px, 1).data], [201, 100, 200]);
  assert.deepEqual([...adjustBrightness(px, 0).data], [0, 0, 0]);
});

test('contrast blends towards the rounded luma mean (PIL-checked)', () => {
  // Lumas 0 and 255: mean 127.5 -> int(128.0) = 128.
  const bw = image(1, 2, 3, [0, 0, 0, 255, 255, 255]);
  assert.deepEqual([...adjustContrast(bw, 0).data], [128, 128, 128, 128, 128, 128]);
  assert.deepEqual([...adjustContrast(bw, 0.5).data], [64, 64, 64, 191, 191, 191]);
  assert.deepEqual([...adjustContrast(image(1, 2, 1, [0, 255]), 0.5).data], [64, 191]);
});

test('saturation 0 gives the grayscale image, 1 the image, and is the identity on 1 channel', () => {
  const rgb = image(1, 2, 3, [255, 0, 0, 10, 200, 30]);
  assert.deepEqual(adjustSaturation(rgb, 0).data, grayscale(rgb).data);
  assert.deepEqual(adjustSaturation(rgb, 1).data, rgb.data);
  const grey = image(1, 3, 1, [1, 128, 250]);
  assert.deepEqual(adjustSaturation(grey, 1.7).data, grey.data);
});

test('smooth and sharpness match PIL on a single bright pixel, borders untouched', () => {
  const dot = image(3, 3, 1, [0, 0, 0, 0, 130, 0, 0, 0, 0]);
  // 130 * 5/13 + 0.5 = 50.5 -> 50; sharpness 2 extrapolates 50 + 2 * (130 - 50) = 210.
  assert.deepEqual([...smooth(dot).data], [0, 0, 0, 0, 50, 0, 0, 0, 0]);
  assert.deepEqual([...adjustSharpness(dot, 2).data], [0, 0, 0, 0, 210, 0, 0, 0, 0]);
  assert.deepEqual([...adjustSharpness(dot, 1).data], [...dot.data]);
  const small = image(2, 2, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual(adjustSharpness(small, 0).data, small.data);
});
