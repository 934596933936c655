import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadReference } from '../../test/support/reference';
import { MemorizationTracker } from './memorization-tracker';

interface MemorizationReference {
  beta: number;
  losses: number[][];
  momentum_loss: number[][];
  weights: number[][];
}

test('momentum losses and scores match the BCL authors (bcl-losses.json) to 1e-6', () => {
  const ref = loadReference<{ memorization: MemorizationReference }>('bcl-losses.json').memorization;
  const n = ref.losses[0].length;
  const tracker = new MemorizationTracker(n, ref.beta);
  // Feed each epoch in two shuffled batches, as training does.
  const order = Int32Array.from({ length: n }, (_, i) => (i * 5) % n);
  ref.losses.forEach((epochLosses, e) => {
    for (const part of [order.subarray(0, 7), order.subarray(7)]) {
      tracker.update(part, Float32Array.from(part, (i) => epochLosses[i]));
    }
    const scores = tracker.computeScores();
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(tracker.momentumLoss[i] - ref.momentum_loss[e][i]) < 1e-6, `epoch ${e + 1} sample ${i} momentum`);
      assert.ok(Math.abs(scores[i] - ref.weights[e][i]) < 1e-6, `epoch ${e + 1} sample ${i}: ${scores[i]} vs ${ref.weights[e][i]}`);
    }
  });
});

test('unseen samples score 0; equal losses score 1/2 without dividing by zero; bad indices throw', () => {
  const tracker = new MemorizationTracker(4, 0.97);
  assert.deepEqual(Array.from(tracker.computeScores()), [0, 0, 0, 0]);
  tracker.update(Int32Array.from([0, 2]), Float32Array.from([1.5, 1.5]));
  assert.deepEqual(Array.from(tracker.computeScores()), [0.5, 0, 0.5, 0]);
  tracker.update(Int32Array.from([1]), Float32Array.from([3.5]));
  // mean (1.5 + 3.5 + 1.5) / 3 = 2.1667; max deviation 1.3333 -> scores 0.25, 1, 0.25
  const scores = Array.from(tracker.computeScores()).map((s) => +s.toFixed(6));
  assert.deepEqual(scores, [0.25, 1, 0.25, 0]);
  assert.throws(() => tracker.update(Int32Array.from([4]), Float32Array.from([1])), /dataset index 4 outside \[0, 4\)/);
});
