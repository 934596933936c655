import { test } from 'node:test';
import assert from 'node:assert/strict';
import { learningRateAt } from './lr-schedule';

const cosine = { type: 'cosine', warmupEpochs: 10, floor: 1e-6 } as const;

test('linear warm-up reaches the base rate at the end of the warm-up', () => {
  // 10 epochs x 5 steps of warm-up: step s has lr base*(s+1)/50.
  assert.equal(learningRateAt(0, 0.5, 5, 500, cosine), 0.5 / 50);
  assert.equal(learningRateAt(24, 0.5, 5, 500, cosine), (0.5 * 25) / 50);
  assert.equal(learningRateAt(49, 0.5, 5, 500, cosine), 0.5);
});

test('cosine decay after warm-up: base at its start, half way at the midpoint, floor at the end', () => {
  assert.equal(learningRateAt(50, 0.5, 5, 500, cosine), 0.5);
  const floor = 0.5 * 1e-6;
  assert.ok(Math.abs(learningRateAt(275, 0.5, 5, 500, cosine) - (floor + (0.5 - floor) / 2)) < 1e-12);
  assert.ok(Math.abs(learningRateAt(500, 0.5, 5, 500, cosine) - floor) < 1e-15);
  // Monotone decreasing after warm-up.
  for (let s = 51; s < 500; s++) assert.ok(learningRateAt(s, 0.5, 5, 500, cosine) <= learningRateAt(s - 1, 0.5, 5, 500, cosine));
});

test('constant schedule and no warm-up', () => {
  const constant = { type: 'constant', warmupEpochs: 0, floor: 0 } as const;
  assert.equal(learningRateAt(0, 0.1, 5, 50, constant), 0.1);
  assert.equal(learningRateAt(49, 0.1, 5, 50, constant), 0.1);
});
