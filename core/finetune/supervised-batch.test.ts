import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArrayDataset } from '../data/datasets/array-dataset';
import { Rng } from '../random/rng';
import { finetuneLr, resolveFinetuneOptions } from './finetune-options';
import { classBalancedOrder, supervisedBatch } from './supervised-batch';

/** One 3x3 grey image whose pixels are 1..9, row-major. */
const image = new ArrayDataset({ name: 'one', pixels: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), height: 3, width: 3, channels: 1, labels: Int32Array.from([0]), numClasses: 1 });
const identity = { mean: [0], std: [1 / 255] }; // (x / 255 - 0) / (1 / 255) = x

test('no crop, no flip: the normalised image itself', () => {
  const { pixels, labels } = supervisedBatch(image, [0], new Rng(1), { ...identity, cropPadding: 0, flip: 0 });
  assert.deepEqual(Array.from(pixels, Math.round), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...labels], [0]);
});

test('flip always: each row mirrored', () => {
  const { pixels } = supervisedBatch(image, [0], new Rng(1), { ...identity, cropPadding: 0, flip: 1 });
  assert.deepEqual(Array.from(pixels, Math.round), [3, 2, 1, 6, 5, 4, 9, 8, 7]);
});

test('padded crops are shifted windows of the zero-padded image, and every shift occurs', () => {
  // With padding 1 the crop offset (dy, dx) is in {-1, 0, 1}^2; out[y][x] = in[y + dy][x + dx] or 0.
  const seen = new Set<string>();
  const rng = new Rng(3);
  for (let k = 0; k < 200; k++) {
    const out = Array.from(supervisedBatch(image, [0], rng, { ...identity, cropPadding: 1, flip: 0 }).pixels, Math.round);
    let match: string | undefined;
    for (const dy of [-1, 0, 1]) {
      for (const dx of [-1, 0, 1]) {
        const expected = Array.from({ length: 9 }, (_, p) => {
          const y = Math.floor(p / 3) + dy;
          const x = (p % 3) + dx;
          return y >= 0 && y < 3 && x >= 0 && x < 3 ? 1 + y * 3 + x : 0;
        });
        if (expected.every((v, i) => v === out[i])) match = `${dy},${dx}`;
      }
    }
    assert.ok(match, `crop ${out} is no shift of the padded image`);
    seen.add(match);
  }
  assert.equal(seen.size, 9);
});

test('class-balanced order draws every class about equally however rare it is', () => {
  // 900 samples of class 0, 90 of class 1, 10 of class 2.
  const labels = Int32Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : i < 990 ? 1 : 2));
  const order = classBalancedOrder(labels, 3, 30000, new Rng(5));
  const counts = [0, 0, 0];
  for (const i of order) counts[labels[i]]++;
  // Binomial(30000, 1/3): std 81.6; 5 std either side is 10 000 ± 408.
  for (const n of counts) assert.ok(Math.abs(n - 10000) < 408, `counts ${counts}`);
  const tail = new Set([...order].filter((i) => labels[i] === 2));
  assert.equal(tail.size, 10, 'every tail image is drawn');
});

test("LDAM-DRW's schedule: warm-up, then x0.01 at 80 % and x0.0001 at 90 % of the epochs", () => {
  const o = resolveFinetuneOptions({ epochs: 200 });
  assert.deepEqual([0, 4, 5, 159, 160, 179, 180, 199].map((e) => finetuneLr(e, o)), [0.02, 0.1, 0.1, 0.1, 0.1 * 1e-2, 0.1 * 1e-2, 0.1 * 1e-4, 0.1 * 1e-4]);
  assert.equal(resolveFinetuneOptions({ epochs: 3 }).warmupEpochs, 3);
  assert.throws(() => resolveFinetuneOptions({ epochs: 0 }), /epochs must be a positive integer/);
  assert.throws(() => resolveFinetuneOptions({ lr: -1 }), /lr must be > 0/);
});
