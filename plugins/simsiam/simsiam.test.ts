import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { applyStateUpdates, createResNet, Rng, runRandom, type StateUpdate } from '../../core/index';
import { negativeCosine, SimsiamMethod, SimsiamOptionsSchema, stopGradient } from './index';

const BATCH = 4;

function randomViews(seed: number, shape: [number, number, number, number] = [BATCH, 8, 8, 3]): tf.Tensor4D[] {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const view = () => tf.tensor4d(Float32Array.from({ length: size }, () => rng.normal()), shape);
  return [view(), view()];
}

/** A parameter-free "backbone" that flattens [B, 1, 1, C] images to [B, C] features. */
function flattenBackbone(channels: number): ConstructorParameters<typeof SimsiamMethod>[0] {
  return {
    name: 'simsiam/backbone',
    featureDim: channels,
    trainableVariables: () => [],
    stateVariables: () => [],
    apply: (x) => tf.reshape(x, [x.shape[0], channels]),
    dispose: () => {},
  };
}

// --- float64 reference network, written from the paper's definitions ---
type Matrix = number[][];
function linear(x: Matrix, kernel: number[], out: number, bias?: number[]): Matrix {
  return x.map((row) => Array.from({ length: out }, (_, j) => row.reduce((s, xi, i) => s + xi * kernel[i * out + j], bias ? bias[j] : 0)));
}
function batchNormTrain(x: Matrix, gamma?: number[], beta?: number[]): Matrix {
  const n = x.length;
  return x.map((row) =>
    row.map((v, j) => {
      const mean = x.reduce((s, r) => s + r[j], 0) / n;
      const variance = x.reduce((s, r) => s + (r[j] - mean) ** 2, 0) / n;
      const normalised = (v - mean) / Math.sqrt(variance + 1e-5);
      return gamma && beta ? normalised * gamma[j] + beta[j] : normalised;
    }),
  );
}
const relu = (x: Matrix): Matrix => x.map((row) => row.map((v) => Math.max(0, v)));
function cosine(a: number[], b: number[]): number {
  const dot = (u: number[], w: number[]) => u.reduce((s, x, i) => s + x * w[i], 0);
  return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
}

test('negativeCosine is -cos(p, z) per sample (float64 reference)', () => {
  const rng = new Rng(5);
  const draw = () => Array.from({ length: 3 }, () => Array.from({ length: 5 }, () => rng.normal()));
  const [p, z] = [draw(), draw()];
  const result = tf.tidy(() => negativeCosine(tf.tensor2d(p), tf.tensor2d(z)).arraySync());
  result.forEach((v, i) => assert.ok(Math.abs(v + cosine(p[i], z[i])) < 1e-5, `sample ${i}`));
});

test('stopGradient passes values and blocks gradients', () => {
  const before = tf.memory().numTensors;
  const x = tf.tensor1d([1, 2, 3]);
  // d/dx sum(sg(x) * x) = sg(x) = x: only the direct path carries gradient (without sg it is 2x).
  const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(stopGradient(v), v)))(x);
  assert.deepEqual(Array.from(grad.dataSync()), [1, 2, 3]);
  const value = stopGradient(x);
  assert.deepEqual(Array.from(value.dataSync()), [1, 2, 3]);
  tf.dispose([x, grad, value]);
  assert.equal(tf.memory().numTensors, before);
});

test('SimSiam loss: row v is -cos(p_v, z_other) through the paper\'s projector and predictor (float64 network)', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const method = new SimsiamMethod(flattenBackbone(3), runRandom(4), SimsiamOptionsSchema.parse({ projectionDim: 8 }));
  const variables = new Map([...method.trainableVariables(), ...method.stateVariables()].map((v) => [v.name, Array.from(v.dataSync())]));
  const v = (name: string) => {
    assert.ok(variables.has(name), `no variable ${name}`);
    return variables.get(name)!;
  };
  // 3 projector layers without biases, a non-affine last BN, and a 2-wide predictor bottleneck.
  assert.ok(!variables.has('simsiam/projector/fc1/bias') && !variables.has('simsiam/projector/bn3/gamma'));
  const views = randomViews(9, [BATCH, 1, 1, 3]);
  const updates: StateUpdate[] = [];
  const perView = method.loss({ views, indices: Int32Array.from([0, 1, 2, 3]) }, { training: true, stateUpdates: updates });
  const losses = perView.arraySync();
  const [x1, x2] = views.map((view) => tf.tidy(() => view.reshape([BATCH, 3]).arraySync() as Matrix));
  const project = (x: Matrix) => {
    let h = relu(batchNormTrain(linear(x, v('simsiam/projector/fc1/kernel'), 8), v('simsiam/projector/bn1/gamma'), v('simsiam/projector/bn1/beta')));
    h = relu(batchNormTrain(linear(h, v('simsiam/projector/fc2/kernel'), 8), v('simsiam/projector/bn2/gamma'), v('simsiam/projector/bn2/beta')));
    return batchNormTrain(linear(h, v('simsiam/projector/fc3/kernel'), 8));
  };
  const predict = (z: Matrix) => {
    const h = relu(batchNormTrain(linear(z, v('simsiam/predictor/fc1/kernel'), 2), v('simsiam/predictor/bn1/gamma'), v('simsiam/predictor/bn1/beta')));
    return linear(h, v('simsiam/predictor/fc2/kernel'), 8, v('simsiam/predictor/fc2/bias'));
  };
  const [z1, z2] = [project(x1), project(x2)];
  const [p1, p2] = [predict(z1), predict(z2)];
  for (let i = 0; i < BATCH; i++) {
    assert.ok(Math.abs(losses[0][i] + cosine(p1[i], z2[i])) < 1e-4, `view 0 sample ${i}: ${losses[0][i]} vs ${-cosine(p1[i], z2[i])}`);
    assert.ok(Math.abs(losses[1][i] + cosine(p2[i], z1[i])) < 1e-4, `view 1 sample ${i}: ${losses[1][i]} vs ${-cosine(p2[i], z1[i])}`);
  }
  tf.dispose([perView, ...views, ...updates.map((u) => u.value)]);
  method.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('SimSiam overfits a fixed tiny batch without leaking', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const backbone = createResNet({ name: 'simsiam/backbone', rng: new Rng(1), depth: 18, baseWidth: 2, inputChannels: 3 });
  const method = new SimsiamMethod(backbone, runRandom(2), SimsiamOptionsSchema.parse({ projectorLayers: 2 }));
  // The two views of a sample share content, as two augmentations of one image do.
  const [image, noise] = randomViews(3);
  const views = [image, tf.tidy(() => tf.add(image, tf.mul(noise, 0.5)) as tf.Tensor4D)];
  noise.dispose();
  const indices = Int32Array.from([0, 1, 2, 3]);
  const all = [...method.trainableVariables(), ...method.stateVariables()];
  assert.equal(new Set(all.map((v) => v.name)).size, all.length, 'variable names are unique');
  assert.ok(all.every((v) => v.name.startsWith('simsiam/')));
  const losses: number[] = [];
  for (let step = 0; step < 15; step++) {
    const updates: StateUpdate[] = [];
    const { value, grads } = tf.variableGrads(() => method.loss({ views, indices }, { training: true, stateUpdates: updates }).mean() as tf.Scalar, method.trainableVariables());
    losses.push(value.dataSync()[0]);
    for (const v of method.trainableVariables()) tf.tidy(() => v.assign(v.sub(grads[v.name].mul(0.5))));
    applyStateUpdates(updates);
    tf.dispose([value, grads]);
  }
  assert.ok(losses.at(-1)! < losses[0] - 0.5, `losses ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  const features = method.encode(views[0]);
  assert.deepEqual(features.shape, [BATCH, backbone.featureDim]);
  tf.dispose([features, ...views]);
  method.dispose();
  method.dispose(); // idempotent
  assert.equal(tf.memory().numTensors, before);
});
