import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Image } from '../image';
import { cutout } from './cutout';

function filled(image: Image): string[] {
  const cells: string[] = [];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) if (image.data[(y * image.width + x) * image.channels] !== 0) cells.push(`${y},${x}`);
  }
  return cells;
}

const zeros = (h: number, w: number, c: number): Image => ({ data: new Uint8Array(h * w * c), height: h, width: w, channels: c });

test('corners are inclusive: side 2 at (5, 5) paints columns and rows 4..6', () => {
  const out = cutout(zeros(10, 10, 3), 0.2, 5, 5);
  const expected = [];
  for (let y = 4; y <= 6; y++) for (let x = 4; x <= 6; x++) expected.push(`${y},${x}`);
  assert.deepEqual(filled(out), expected);
  const i = (5 * 10 + 5) * 3;
  assert.deepEqual([...out.data.subarray(i, i + 3)], [125, 123, 114]);
});

test('the square is clipped at the image border', () => {
  // v = 4: x0 = int(9.5 - 2) = 7, x1 = min(10, 11) -> 9; y0 = 0, y1 = 4.
  const out = cutout(zeros(10, 10, 1), 0.4, 9.5, 0);
  const expected = [];
  for (let y = 0; y <= 4; y++) for (let x = 7; x <= 9; x++) expected.push(`${y},${x}`);
  assert.deepEqual(filled(out), expected);
  assert.equal(out.data[9], 125);
});

test('fraction 0 returns an unchanged copy', () => {
  const input = zeros(4, 4, 3);
  const out = cutout(input, 0, 2, 2);
  assert.deepEqual(out.data, input.data);
  assert.notEqual(out.data, input.data);
});
