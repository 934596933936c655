import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { FeatureSet } from './features';
import { knnScores } from './knn';

const set = (rows: number[][], labels: number[]): FeatureSet => ({
  size: rows.length,
  dim: rows[0].length,
  features: Float32Array.from(rows.flat()),
  labels: Int32Array.from(labels),
});

// Bank: (1,0) class 0; (0,1) class 1; (2,2) class 1 (norm is ignored: cosine); (-1,0) class 2.
const bank = set([[1, 0], [0, 1], [2, 2], [-1, 0]], [0, 1, 1, 2]);

test('kNN votes worked by hand: cosine top-k, weights exp(sim / T), summed per class', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  // Query (3, 0): cosines 1, 0, 1/sqrt(2) = 0.70711, -1. k = 2 keeps (1,0) and (2,2):
  //   class 0: e^(1 / 0.1) = e^10; class 1: e^(0.70711 / 0.1) = e^7.0711; class 2: 0.
  // Query (0.2, 1): norm sqrt(1.04) = 1.019804; cosines 0.196116, 0.980581,
  //   (0.2 + 1) / (1.019804 * sqrt(2)) = 0.832050, -0.196116. k = 2 keeps (0,1) and (2,2), both class 1:
  //   class 1: e^9.80581 + e^8.32050.
  const queries = set([[3, 0], [0.2, 1]], [0, 1]);
  const scores = await knnScores(bank, queries, 3, { k: 2, temperature: 0.1 });
  const expected = [Math.exp(10), Math.exp(7.0711), 0, 0, Math.exp(9.80581) + Math.exp(8.3205), 0];
  expected.forEach((e, i) => assert.ok(Math.abs(scores[i] - e) <= 1e-4 * Math.max(1, e), `score ${i}: ${scores[i]} vs ${e}`));
  assert.equal(tf.memory().numTensors, before);
});

test('k larger than the bank uses the whole bank; a neighbour at cosine 0 votes with weight e^0 = 1', async () => {
  await tf.setBackend('cpu');
  // Query (0, -1): cosines 0, -1, -0.70711, 0 with T = 1: weights 1, e^-1, e^-0.70711, 1.
  const scores = await knnScores(bank, set([[0, -1]], [0]), 3, { k: 200, temperature: 1, chunk: 1 });
  const expected = [1, Math.exp(-1) + Math.exp(-0.70711), 1];
  expected.forEach((e, i) => assert.ok(Math.abs(scores[i] - e) < 1e-5, `class ${i}: ${scores[i]} vs ${e}`));
});

test('queries are processed in chunks without changing the result', async () => {
  await tf.setBackend('cpu');
  const queries = set([[3, 0], [0.2, 1], [-1, 0.1], [0.5, 0.5], [0, -1]], [0, 1, 2, 1, 0]);
  const whole = await knnScores(bank, queries, 3, { k: 3 });
  const chunked = await knnScores(bank, queries, 3, { k: 3, chunk: 2 });
  assert.deepEqual(Array.from(chunked), Array.from(whole));
});
