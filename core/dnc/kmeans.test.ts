import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../random/rng';
import { kMeans } from './kmeans';

/** Three tight blobs in 2-D around (0,0), (10,0), (0,10), 30 points each, in shuffled order. */
function blobs(): { points: Float32Array; truth: number[] } {
  const rng = new Rng(7);
  const centres = [[0, 0], [10, 0], [0, 10]];
  const truth = Array.from({ length: 90 }, (_, i) => i % 3);
  const points = new Float32Array(90 * 2);
  truth.forEach((c, i) => {
    points[2 * i] = centres[c][0] + rng.normal() * 0.5;
    points[2 * i + 1] = centres[c][1] + rng.normal() * 0.5;
  });
  return { points, truth };
}

test('k-means recovers separated blobs, covers every point once, and is deterministic for a seed', () => {
  const { points, truth } = blobs();
  const a = kMeans(points, 90, 2, { k: 3, seed: 1 });
  assert.deepEqual([...a.sizes].sort(), [30, 30, 30]);
  // The same cluster for every point of a blob, a different one per blob.
  const clusterOfBlob = [0, 1, 2].map((b) => a.assignment[truth.indexOf(b)]);
  assert.equal(new Set(clusterOfBlob).size, 3);
  truth.forEach((b, i) => assert.equal(a.assignment[i], clusterOfBlob[b], `point ${i}`));
  assert.ok(a.inertia < 90 * 2 * 0.5 * 0.5 * 2, `inertia ${a.inertia}`);
  const again = kMeans(points, 90, 2, { k: 3, seed: 1 });
  assert.deepEqual(again.assignment, a.assignment);
  assert.deepEqual(again.centres, a.centres);
});

test('k-means keeps every cluster non-empty, even with duplicate points', () => {
  // Four copies of one point and one other: k = 3 must still give three non-empty clusters.
  const points = Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 5, 5]);
  const result = kMeans(points, 5, 2, { k: 3, seed: 0, restarts: 1 });
  assert.equal(result.sizes.length, 3);
  for (const size of result.sizes) assert.ok(size >= 1, `sizes ${[...result.sizes]}`);
  assert.equal([...result.sizes].reduce((s, x) => s + x, 0), 5);
});

test('k-means refuses k < 2, k > points, and a wrong buffer length', () => {
  const points = new Float32Array(10);
  assert.throws(() => kMeans(points, 5, 2, { k: 1, seed: 0 }), /2 <= k <= 5/);
  assert.throws(() => kMeans(points, 5, 2, { k: 6, seed: 0 }), /2 <= k <= 5/);
  assert.throws(() => kMeans(points, 4, 2, { k: 2, seed: 0 }), /4 x 2 = 8 values, but got 10/);
});
