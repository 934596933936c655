import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadReference } from '../../test/support/reference';
import { ntXentPerView } from './nt-xent';

interface NtXentCase {
  batch: number;
  dim: number;
  temperature: number;
  features: number[][];
  per_sample_loss: number[];
  mean_loss: number;
}

test('per-sample NT-Xent matches the BCL authors (bcl-losses.json) to 1e-5 relative', async () => {
  await tf.setBackend('cpu');
  const cases = loadReference<{ nt_xent: NtXentCase[] }>('bcl-losses.json').nt_xent;
  assert.ok(cases.length >= 1);
  for (const c of cases) {
    // The reference interleaves views: rows 2i and 2i+1 are the two views of sample i.
    const view1 = tf.tensor2d(c.features.filter((_, r) => r % 2 === 0));
    const view2 = tf.tensor2d(c.features.filter((_, r) => r % 2 === 1));
    const perView = ntXentPerView(view1, view2, c.temperature);
    assert.deepEqual(perView.shape, [2, c.batch]);
    const perSample = tf.tidy(() => perView.mean(0).arraySync() as number[]);
    perSample.forEach((value, i) => {
      const expected = c.per_sample_loss[i];
      assert.ok(Math.abs(value - expected) <= 1e-5 * Math.abs(expected), `case b=${c.batch} t=${c.temperature} sample ${i}: ${value} vs ${expected}`);
    });
    const mean = perSample.reduce((a, b) => a + b, 0) / perSample.length;
    assert.ok(Math.abs(mean - c.mean_loss) <= 1e-5 * c.mean_loss);
    tf.dispose([view1, view2, perView]);
  }
});

test('NT-Xent is lowest when views coincide and leaves no tensors behind', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const a = tf.tensor2d([[1, 0], [0, 1], [-1, 0]]);
  const aligned = ntXentPerView(a, a, 0.5);
  const shuffled = tf.tensor2d([[0, 1], [-1, 0], [1, 0]]);
  const misaligned = ntXentPerView(a, shuffled, 0.5);
  assert.ok(tf.tidy(() => aligned.sum().arraySync() < misaligned.sum().arraySync()));
  tf.dispose([a, aligned, shuffled, misaligned]);
  assert.equal(tf.memory().numTensors, before);
});
