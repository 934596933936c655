import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBclError } from '../../errors';
import type { Image } from '../image';
import { gaussianBlur, gaussianKernel1d } from './blur';

test('the 3-tap kernel at sigma 1 is [e, 1, e] / (1 + 2e) with e = exp(-1/2)', () => {
  const e = Math.exp(-0.5);
  const expected = [e, 1, e].map((v) => v / (1 + 2 * e));
  const kernel = gaussianKernel1d(3, 1);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(kernel[i] - expected[i]) < 1e-15);
});

test('an impulse spreads as the outer product of the kernel, rounded', () => {
  const data = new Uint8Array(25);
  data[12] = 100;
  const out = gaussianBlur({ data, height: 5, width: 5, channels: 1 }, 1, 3).data;
  // Kernel ~[0.2741, 0.4519, 0.2741]: centre 100*0.4519^2 = 20.4, edge 12.4, corner 7.5.
  assert.equal(out[12], 20);
  assert.deepEqual([out[7], out[11], out[13], out[17]], [12, 12, 12, 12]);
  assert.deepEqual([out[6], out[8], out[16], out[18]], [8, 8, 8, 8]);
  assert.equal(out[0], 0);
});

test('constant images stay constant (reflect padding), even with a kernel wider than the image', () => {
  const flat: Image = { data: new Uint8Array(4 * 6 * 3).fill(99), height: 4, width: 6, channels: 3 };
  assert.ok(gaussianBlur(flat, 2, 9).data.every((v) => v === 99));
});

test('invalid sigma or kernel size is refused', () => {
  const img: Image = { data: new Uint8Array(9), height: 3, width: 3, channels: 1 };
  assert.throws(() => gaussianBlur(img, 0, 3), isBclError);
  assert.throws(() => gaussianBlur(img, 1, 4), isBclError);
});
