import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBclError } from '../../errors';
import { deriveSeed, Rng } from '../../random/rng';
import type { Image } from '../image';
import {
  applyRandAugment,
  randAugmentOp,
  sampleRandAugment,
  validateRandAugmentSettings,
} from './rand-augment';
import './builtin-ops';
import { findAugmentationOp } from './op-registry';
import { applyRandAugmentOp, isSignedOp, RAND_AUGMENT_OPS, RAND_AUGMENT_RANGES, randAugmentValue } from './rand-augment-ops';

function ramp(height: number, width: number, channels: number): Image {
  const data = Uint8Array.from({ length: height * width * channels }, (_, i) => (i * 29 + 3) % 256);
  return { data, height, width, channels };
}

const size = { height: 32, width: 32 };

test('values map from the 0-30 scale linearly onto each range', () => {
  assert.equal(randAugmentValue('Rotate', 15), 30);
  assert.equal(randAugmentValue('Posterize', 0), 4);
  assert.equal(randAugmentValue('Posterize', 30), 8);
  assert.equal(randAugmentValue('Solarize', 30), 110);
  assert.ok(Math.abs(randAugmentValue('Contrast', 10) - 0.7) < 1e-12);
});

test('the same seed gives the same steps and bytes; other seeds differ', () => {
  const image = ramp(32, 32, 3);
  const settings = { k: 3, probability: 0.7, magnitude: [5, 25] as const };
  const a = sampleRandAugment(new Rng(42), size, settings);
  const b = sampleRandAugment(new Rng(42), size, settings);
  assert.deepEqual(a, b);
  assert.deepEqual(applyRandAugment(image, a).data, applyRandAugment(image, b).data);
  const others = [1, 2, 3, 4, 5].map((s) => JSON.stringify(sampleRandAugment(new Rng(s), size, settings)));
  assert.ok(new Set([JSON.stringify(a), ...others]).size > 3);
});

test('k ops are drawn uniformly with replacement; p = 1 applies all, p = 0 none', () => {
  const counts = new Map<string, number>();
  const rng = new Rng(7);
  const draws = 3000;
  for (let i = 0; i < draws; i++) {
    const steps = sampleRandAugment(rng, size, { k: 5, probability: 1, magnitude: 10 });
    assert.equal(steps.length, 5);
    for (const s of steps) counts.set(s.op, (counts.get(s.op) ?? 0) + 1);
  }
  const expected = (draws * 5) / 15;
  for (const op of RAND_AUGMENT_OPS) {
    // Binomial sd ~ 31; 6 sd keeps this deterministic-seed test far from flaky.
    assert.ok(Math.abs((counts.get(op) ?? 0) - expected) < 190, `${op}: ${counts.get(op)} vs ${expected}`);
  }
  assert.deepEqual(sampleRandAugment(rng, size, { k: 4, probability: 0, magnitude: 30 }), []);
  assert.deepEqual(sampleRandAugment(rng, size, { k: 0, probability: 1, magnitude: 30 }), []);
});

test('signs are random for affine ops only; Cutout centres lie inside the image', () => {
  const rng = new Rng(11);
  let signed = 0;
  let negative = 0;
  for (let i = 0; i < 2000; i++) {
    for (const s of sampleRandAugment(rng, { height: 20, width: 40 }, { k: 2, probability: 1, magnitude: 30 })) {
      if (isSignedOp(s.op)) {
        signed++;
        if (s.sign === -1) negative++;
      } else assert.equal(s.sign, 1);
      if (s.op === 'Cutout') assert.ok(s.cx >= 0 && s.cx < 40 && s.cy >= 0 && s.cy < 20);
    }
  }
  assert.ok(Math.abs(negative / signed - 0.5) < 0.06, `negative share ${negative / signed}`);
});

test('a magnitude range draws one magnitude per view within it', () => {
  const rng = new Rng(5);
  for (let i = 0; i < 500; i++) {
    const steps = sampleRandAugment(rng, size, { k: 3, probability: 1, magnitude: [0, 15] });
    for (const s of steps) {
      const [min, max] = RAND_AUGMENT_RANGES[s.op];
      assert.ok(s.value >= min - 1e-12 && s.value <= min + (max - min) / 2 + 1e-12, `${s.op} ${s.value}`);
    }
    // One magnitude per view: every step's position in its range is the same.
    const positions = steps
      .filter((s) => RAND_AUGMENT_RANGES[s.op][1] !== RAND_AUGMENT_RANGES[s.op][0])
      .map((s) => (s.value - RAND_AUGMENT_RANGES[s.op][0]) / (RAND_AUGMENT_RANGES[s.op][1] - RAND_AUGMENT_RANGES[s.op][0]));
    for (const p of positions) assert.ok(Math.abs(p - positions[0]) < 1e-9);
  }
});

test('invalid settings are refused with the field path', () => {
  assert.throws(() => validateRandAugmentSettings({ k: -1, probability: 1, magnitude: 1 }), /randAugment\.k must be/);
  assert.throws(() => validateRandAugmentSettings({ k: 1, probability: 2, magnitude: 1 }), /randAugment\.probability/);
  assert.throws(() => validateRandAugmentSettings({ k: 1, probability: 1, magnitude: [10, 31] }), /randAugment\.magnitude/);
  assert.throws(() => validateRandAugmentSettings({ k: 1.5, probability: 1, magnitude: 1 }), isBclError);
});

test('the registered RandAugment step makes the draws sampleRandAugment makes, over the default ops and an explicit list of all 15', () => {
  const image = ramp(32, 32, 3);
  for (const magnitude of [12, [0, 30] as [number, number]]) {
    const params = randAugmentOp.params.parse({ k: 3, probability: 0.7, magnitude });
    const listed = randAugmentOp.params.parse({ k: 3, probability: 0.7, magnitude, ops: [...RAND_AUGMENT_OPS] });
    for (let seed = 0; seed < 40; seed++) {
      const expected = applyRandAugment(image, sampleRandAugment(new Rng(seed), image, { k: 3, probability: 0.7, magnitude }));
      assert.deepEqual(randAugmentOp.apply(image, params, new Rng(seed)).data, expected.data, `default ops, seed ${seed}`);
      assert.deepEqual(randAugmentOp.apply(image, listed, new Rng(seed)).data, expected.data, `listed ops, seed ${seed}`);
    }
  }
});

test('the RandAugment step refuses bad parameters and op lists naming unknown or unsuitable ops', () => {
  assert.equal(randAugmentOp.params.safeParse({ magnitude: 31 }).success, false);
  assert.equal(randAugmentOp.params.safeParse({ magnitude: [20, 10] }).success, false);
  assert.equal(randAugmentOp.params.safeParse({ k: -1 }).success, false);
  assert.equal(randAugmentOp.params.safeParse({ ops: ['NoSuchOp'] }).success, false);
  assert.equal(randAugmentOp.params.safeParse({ ops: ['RandomResizedCrop'] }).success, false, 'takes no magnitude');
  assert.equal(randAugmentOp.params.safeParse({ ops: ['Rotate', 'Cutout'] }).success, true);
});

test('a single RandAugment op step: fixed sign and centre replay a drawn step exactly; probability 0 changes nothing', () => {
  const image = ramp(32, 32, 3);
  const rotate = findAugmentationOp('Rotate')!;
  const cutoutOp = findAugmentationOp('Cutout')!;
  assert.deepEqual(
    rotate.apply(image, rotate.params.parse({ magnitude: 15, sign: -1 }), new Rng(1)).data,
    applyRandAugmentOp(image, { op: 'Rotate', value: randAugmentValue('Rotate', 15), sign: -1, cx: 0, cy: 0 }).data,
  );
  assert.deepEqual(
    cutoutOp.apply(image, cutoutOp.params.parse({ magnitude: 30, center: [3, 20] }), new Rng(1)).data,
    applyRandAugmentOp(image, { op: 'Cutout', value: randAugmentValue('Cutout', 30), sign: 1, cx: 3, cy: 20 }).data,
  );
  assert.equal(rotate.apply(image, rotate.params.parse({ magnitude: 30, probability: 0 }), new Rng(1)), image);
});

test('every op at every magnitude keeps the shape of 1- and 3-channel images', () => {
  for (const channels of [1, 3]) {
    const image = ramp(28, 28, channels);
    for (const op of RAND_AUGMENT_OPS) {
      for (const m of [0, 30]) {
        const out = applyRandAugmentOp(image, { op, value: randAugmentValue(op, m), sign: -1, cx: 14, cy: 3 });
        assert.deepEqual([out.height, out.width, out.channels, out.data.length], [28, 28, channels, image.data.length], `${op} m=${m}`);
      }
    }
  }
});
