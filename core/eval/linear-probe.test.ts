import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng';
import type { FeatureSet } from './features';
import { linearScores, trainLinearProbe } from './linear-probe';

/** Three Gaussian blobs far apart on separate axes of a 4-D space: linearly separable. */
function blobs(perClass: number, seed: number): FeatureSet {
  const rng = new Rng(seed);
  const dim = 4;
  const size = 3 * perClass;
  const features = new Float32Array(size * dim);
  const labels = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const c = i % 3;
    labels[i] = c;
    for (let d = 0; d < dim; d++) features[i * dim + d] = (d === c ? 10 : 0) + 0.5 * rng.normal();
  }
  return { size, dim, features, labels };
}

function accuracy(scores: Float32Array, labels: Int32Array, numClasses: number): number {
  let right = 0;
  labels.forEach((label, i) => {
    const row = scores.subarray(i * numClasses, (i + 1) * numClasses);
    if (row.indexOf(Math.max(...row)) === label) right++;
  });
  return right / labels.length;
}

test('the probe separates linearly separable features: 100% on held-out blobs, no tensor left behind', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const train = blobs(50, 1);
  const test = blobs(50, 2);
  // 100 full-batch epochs at a 5x higher start rate stand in for the authors' 500 epochs (seconds on cpu);
  // the schedule and update themselves are pinned by the float64 test below.
  const probe = await trainLinearProbe(train, 3, { epochs: 100, batchSize: 150, lrStart: 5e-2, seed: 3 });
  assert.equal(accuracy(await linearScores(probe, test), test.labels, 3), 1);
  assert.equal(tf.memory().numTensors, before);
});

/** Float64 reference: mean softmax cross-entropy gradient of x W + b. */
function gradients(x: number[][], labels: number[], w: number[][], b: number[]): { gw: number[][]; gb: number[] } {
  const n = x.length;
  const classes = b.length;
  const gw = w.map((row) => row.map(() => 0));
  const gb = b.map(() => 0);
  x.forEach((xi, i) => {
    const logits = b.map((bc, c) => bc + xi.reduce((s, v, d) => s + v * w[d][c], 0));
    const top = Math.max(...logits);
    const exp = logits.map((l) => Math.exp(l - top));
    const total = exp.reduce((a, e) => a + e, 0);
    for (let c = 0; c < classes; c++) {
      const delta = (exp[c] / total - (labels[i] === c ? 1 : 0)) / n;
      gb[c] += delta;
      xi.forEach((v, d) => (gw[d][c] += v * delta));
    }
  });
  return { gw, gb };
}

test("two epochs match torch.optim.Adam (L2 weight decay, bias correction) with ExponentialLR, in float64", async () => {
  await tf.setBackend('cpu');
  const set: FeatureSet = {
    size: 4,
    dim: 2,
    features: Float32Array.from([1, 0.5, -0.5, 1, 0.25, -1, -1, -0.75]),
    labels: Int32Array.from([0, 1, 2, 1]),
  };
  const options = { lrStart: 1e-2, lrEnd: 1e-6, weightDecay: 0.05, batchSize: 1000, seed: 7 };
  // epochs 0: the initialisation; the same seed draws it again for the 2-epoch run.
  const init = await trainLinearProbe(set, 3, { ...options, epochs: 0 });
  const trained = await trainLinearProbe(set, 3, { ...options, epochs: 2 });
  for (const v of init.weights) assert.ok(Math.abs(v) <= 1 / Math.sqrt(2), 'nn.Linear init is uniform in ±1/sqrt(in)');

  // Reference: batch = the whole set (batch 1000 > 4), so the shuffle does not matter.
  const x = [0, 1, 2, 3].map((i) => [set.features[2 * i], set.features[2 * i + 1]]);
  const labels = Array.from(set.labels);
  let w = [0, 1].map((d) => [0, 1, 2].map((c) => init.weights[d * 3 + c]));
  let b = Array.from(init.bias);
  const gamma = Math.pow(options.lrEnd / options.lrStart, 1 / 2); // (lr_end / lr_start)^(1 / epochs)
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  let mw = w.map((r) => r.map(() => 0));
  let vw = w.map((r) => r.map(() => 0));
  let mb = b.map(() => 0);
  let vb = b.map(() => 0);
  for (let step = 1; step <= 2; step++) {
    const lr = options.lrStart * Math.pow(gamma, step - 1);
    const { gw, gb } = gradients(x, labels, w, b);
    const update = (p: number, g0: number, m: number, v: number): [number, number, number] => {
      const g = g0 + options.weightDecay * p;
      const m1 = b1 * m + (1 - b1) * g;
      const v1 = b2 * v + (1 - b2) * g * g;
      const denom = Math.sqrt(v1) / Math.sqrt(1 - Math.pow(b2, step)) + eps;
      return [p - (lr / (1 - Math.pow(b1, step))) * (m1 / denom), m1, v1];
    };
    const nw = w.map((row, d) => row.map((p, c) => update(p, gw[d][c], mw[d][c], vw[d][c])));
    const nb = b.map((p, c) => update(p, gb[c], mb[c], vb[c]));
    w = nw.map((row) => row.map((u) => u[0]));
    mw = nw.map((row) => row.map((u) => u[1]));
    vw = nw.map((row) => row.map((u) => u[2]));
    b = nb.map((u) => u[0]);
    mb = nb.map((u) => u[1]);
    vb = nb.map((u) => u[2]);
  }
  const expected = [...w.flat(), ...b];
  const got = [...trained.weights, ...trained.bias];
  const moved = expected.map((e, i) => Math.abs(e - [...init.weights, ...init.bias][i]));
  assert.ok(Math.min(...moved) > 9e-3, 'every parameter moved by about lr in the first Adam step');
  got.forEach((g, i) => assert.ok(Math.abs(g - expected[i]) < 1e-6, `parameter ${i}: ${g} vs float64 ${expected[i]}`));
});
