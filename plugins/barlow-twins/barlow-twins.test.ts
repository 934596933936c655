import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { applyStateUpdates, createResNet, Rng, type StateUpdate } from '../../core/index';
import { barlowTwinsPerSample } from './barlow-twins-loss';
import { BarlowTwinsMethod } from './barlow-twins-method';

const EPS = 1e-5;

/** Float64 standardisation over the batch (BatchNorm1d(affine=False), training mode). */
function standardise64(z: number[][]): number[][] {
  const [b, d] = [z.length, z[0].length];
  const out = z.map((row) => row.slice());
  for (let j = 0; j < d; j++) {
    const mean = z.reduce((s, row) => s + row[j], 0) / b;
    const variance = z.reduce((s, row) => s + (row[j] - mean) ** 2, 0) / b;
    for (let n = 0; n < b; n++) out[n][j] = (z[n][j] - mean) / Math.sqrt(variance + EPS);
  }
  return out;
}

/** Float64 cross-correlation C = a^T b / B. */
function crossCorrelation64(z1: number[][], z2: number[][]): { a: number[][]; b: number[][]; c: number[][] } {
  const a = standardise64(z1);
  const b = standardise64(z2);
  const d = a[0].length;
  const c = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => a.reduce((s, _row, n) => s + a[n][i] * b[n][j], 0) / a.length));
  return { a, b, c };
}

/** The authors' batch loss: sum_i (1 - C_ii)^2 + lambda * sum_{i != j} C_ij^2, in float64. */
function barlowTwins64(z1: number[][], z2: number[][], lambda: number): number {
  const { c } = crossCorrelation64(z1, z2);
  let loss = 0;
  c.forEach((row, i) => row.forEach((v, j) => (loss += i === j ? (1 - v) ** 2 : lambda * v * v)));
  return loss;
}

/** The documented attribution, term by term: l_n = sum_i (1 - C_ii)(1 - a_ni b_ni) + lambda sum_{i!=j} C_ij a_ni b_nj. */
function perSample64(z1: number[][], z2: number[][], lambda: number): number[] {
  const { a, b, c } = crossCorrelation64(z1, z2);
  return a.map((_, n) => {
    let l = 0;
    c.forEach((row, i) => row.forEach((v, j) => (l += i === j ? (1 - v) * (1 - a[n][i] * b[n][i]) : lambda * v * a[n][i] * b[n][j])));
    return l;
  });
}

function randomMatrix(rng: Rng, rows: number, cols: number, shift = 0): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal() + shift));
}

test('Barlow Twins per-sample shares match a float64 computation and average exactly to the batch loss, gradient included', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const rng = new Rng(4);
  const lambda = 0.05; // larger than the paper's 0.0051 so the off-diagonal term weighs in the check
  for (const [batch, dim] of [[5, 4], [6, 9]]) {
    const z1 = randomMatrix(rng, batch, dim, 0.3);
    // View 2 correlated with view 1, as two augmentations are.
    const z2 = z1.map((row) => row.map((v) => 0.8 * v + 0.5 * rng.normal()));
    const [t1, t2] = [tf.tensor2d(z1), tf.tensor2d(z2)];
    const perView = barlowTwinsPerSample(t1, t2, lambda);
    assert.deepEqual(perView.shape, [2, batch]);
    const [row0, row1] = perView.arraySync();
    assert.deepEqual(row0, row1, 'symmetric over views');
    const expected = perSample64(z1, z2, lambda);
    row0.forEach((l, n) => assert.ok(Math.abs(l - expected[n]) < 1e-4 * Math.max(1, Math.abs(expected[n])), `l_${n}: ${l} vs ${expected[n]}`));
    const batchLoss = barlowTwins64(z1, z2, lambda);
    const mean = row0.reduce((s, l) => s + l, 0) / batch;
    assert.ok(Math.abs(mean - batchLoss) < 1e-4 * batchLoss, `mean of shares ${mean} vs batch loss ${batchLoss}`);
    assert.ok(Math.abs(expected.reduce((s, l) => s + l, 0) / batch - batchLoss) < 1e-9 * batchLoss, 'the identity holds in float64');

    // The trainer minimises the mean over [2, B]: its gradient is the batch loss's (central differences in float64).
    const grad = tf.grad((z: tf.Tensor) => barlowTwinsPerSample(z as tf.Tensor2D, t2, lambda).mean())(t1);
    const g = grad.arraySync() as number[][];
    for (const [n, i] of [[0, 0], [batch - 1, dim - 1], [1, 2]]) {
      const h = 1e-5;
      const plus = z1.map((r) => r.slice());
      const minus = z1.map((r) => r.slice());
      plus[n][i] += h;
      minus[n][i] -= h;
      const numeric = (barlowTwins64(plus, z2, lambda) - barlowTwins64(minus, z2, lambda)) / (2 * h);
      assert.ok(Math.abs(g[n][i] - numeric) < 1e-3 * Math.max(1, Math.abs(numeric)), `dL/dz1[${n}][${i}]: ${g[n][i]} vs ${numeric}`);
    }
    tf.dispose([perView, grad, t1, t2]);
  }
  assert.equal(tf.memory().numTensors, before);
});

test('Barlow Twins overfits a fixed tiny batch without leaking', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const backbone = createResNet({ name: 'barlow-twins/backbone', rng: new Rng(1), depth: 18, baseWidth: 2, inputChannels: 3 });
  const method = new BarlowTwinsMethod(backbone, new Rng(2), { lambda: 0.0051, projectorLayers: 3, hiddenDim: 32, projectionDim: 32 });
  const rng = new Rng(3);
  const image = () => tf.tensor4d(Float32Array.from({ length: 4 * 8 * 8 * 3 }, () => rng.normal()), [4, 8, 8, 3]);
  const views = [image(), image()];
  const indices = Int32Array.from([0, 1, 2, 3]);
  const losses: number[] = [];
  for (let i = 0; i < 15; i++) {
    const updates: StateUpdate[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const perView = method.loss({ views, indices }, { training: true, stateUpdates: updates });
      assert.deepEqual(perView.shape, [2, 4]);
      return perView.mean() as tf.Scalar;
    }, method.trainableVariables());
    losses.push(value.dataSync()[0]);
    tf.tidy(() => {
      for (const v of method.trainableVariables()) if (grads[v.name]) v.assign(v.sub(grads[v.name].mul(0.004)));
    });
    applyStateUpdates(updates);
    tf.dispose([value, grads]);
  }
  assert.ok(losses.at(-1)! < losses[0] * 0.6, `losses ${losses.map((l) => l.toFixed(2)).join(' ')}`);
  const features = method.encode(views[0]);
  assert.deepEqual(features.shape, [4, backbone.featureDim]);
  tf.dispose([features, ...views]);
  method.dispose();
  method.dispose(); // idempotent
  assert.equal(tf.memory().numTensors, before);
});
