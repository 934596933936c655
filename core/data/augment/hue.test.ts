import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Image } from '../image';
import { adjustHue } from './hue';

const pixel = (r: number, g: number, b: number): Image => ({ data: Uint8Array.of(r, g, b), height: 1, width: 1, channels: 3 });

test('a third of a turn takes red to green; minus a third to (nearly) blue (PIL-checked)', () => {
  assert.deepEqual([...adjustHue(pixel(255, 0, 0), 1 / 3).data], [0, 255, 0]);
  // uint8(-85) = 171 -> sector 4 with f = 6/255: t = round(255 * 6/255) = 6.
  assert.deepEqual([...adjustHue(pixel(255, 0, 0), -1 / 3).data], [6, 0, 255]);
});

test('greys and 1-channel images are unchanged', () => {
  assert.deepEqual([...adjustHue(pixel(90, 90, 90), 0.3).data], [90, 90, 90]);
  const grey: Image = { data: Uint8Array.of(1, 2, 3, 4), height: 2, width: 2, channels: 1 };
  const out = adjustHue(grey, 0.25);
  assert.equal(out.channels, 1);
  assert.deepEqual([...out.data], [1, 2, 3, 4]);
});

test('opposite half turns land on the same hue (uint8 wraparound)', () => {
  // trunc(127.5) = 127 and trunc(-127.5) = -127 -> 129: two different shifts, both near the opposite hue.
  const a = adjustHue(pixel(200, 40, 40), 0.5).data;
  const b = adjustHue(pixel(200, 40, 40), -0.5).data;
  for (const out of [a, b]) {
    assert.ok(out[0] < out[1] && out[0] < out[2], `red became cyan-ish: ${[...out]}`);
  }
});
