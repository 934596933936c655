import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { container } from 'tsyringe';
import {
  applyStateUpdates,
  BackboneFactory,
  createResNet,
  provide,
  resolve,
  Rng,
  RunRandom,
  runRandom,
  type StateUpdate,
  type StepContext,
} from '../../core/index';
import { byolPlugin, ByolMethod, ByolOptionsSchema, regressionLoss, targetMomentum, type ByolOptions, type ByolParts } from './index';

const BATCH = 4;

function randomViews(seed: number, shape: [number, number, number, number] = [BATCH, 8, 8, 3]): tf.Tensor4D[] {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const view = () => tf.tensor4d(Float32Array.from({ length: size }, () => rng.normal()), shape);
  return [view(), view()];
}

function resnetParts(): ByolParts {
  const backbone = (owner: string) => createResNet({ name: owner, rng: new Rng(owner.length), depth: 18, baseWidth: 2, inputChannels: 3 });
  return { onlineBackbone: backbone('byol/online/backbone'), targetBackbone: backbone('byol/target/backbone'), random: runRandom(7) };
}

/** A parameter-free "backbone" that flattens [B, 1, 1, C] images to [B, C] features. */
function flattenBackbone(name: string, channels: number): ByolParts['onlineBackbone'] {
  return {
    name,
    featureDim: channels,
    trainableVariables: () => [],
    stateVariables: () => [],
    apply: (x) => tf.reshape(x, [x.shape[0], channels]),
    dispose: () => {},
  };
}

// --- float64 reference network, written from the paper's definitions ---
type Matrix = number[][];
const values = (method: ByolMethod, name: string): number[] => {
  const found = [...method.trainableVariables(), ...method.stateVariables()].find((v) => v.name === name);
  assert.ok(found, `no variable ${name}`);
  return Array.from(found.dataSync());
};
function linear(x: Matrix, kernel: number[], bias: number[]): Matrix {
  const out = bias.length;
  return x.map((row) => bias.map((b, j) => row.reduce((s, xi, i) => s + xi * kernel[i * out + j], b)));
}
function batchNormTrain(x: Matrix, gamma: number[], beta: number[]): Matrix {
  const n = x.length;
  return x.map((row) =>
    row.map((v, j) => {
      const mean = x.reduce((s, r) => s + r[j], 0) / n;
      const variance = x.reduce((s, r) => s + (r[j] - mean) ** 2, 0) / n;
      return ((v - mean) / Math.sqrt(variance + 1e-5)) * gamma[j] + beta[j];
    }),
  );
}
const relu = (x: Matrix): Matrix => x.map((row) => row.map((v) => Math.max(0, v)));
function mlp(method: ByolMethod, name: string, x: Matrix): Matrix {
  const v = (path: string) => values(method, `${name}/${path}`);
  const hidden = relu(batchNormTrain(linear(x, v('fc1/kernel'), v('fc1/bias')), v('bn1/gamma'), v('bn1/beta')));
  return linear(hidden, v('fc2/kernel'), v('fc2/bias'));
}
function cosine(a: number[], b: number[]): number {
  const dot = (u: number[], w: number[]) => u.reduce((s, x, i) => s + x * w[i], 0);
  return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
}

test('regressionLoss is 2 - 2 cos(p, z) per sample (float64 reference)', () => {
  const rng = new Rng(5);
  const draw = () => Array.from({ length: 3 }, () => Array.from({ length: 5 }, () => rng.normal()));
  const [p, z] = [draw(), draw()];
  const result = tf.tidy(() => regressionLoss(tf.tensor2d(p), tf.tensor2d(z)).arraySync());
  result.forEach((v, i) => assert.ok(Math.abs(v - (2 - 2 * cosine(p[i], z[i]))) < 1e-5, `sample ${i}`));
});

test('targetMomentum follows BYOL\'s cosine from the base rate to 1', () => {
  assert.equal(targetMomentum(0.996, 0, 100), 0.996);
  assert.ok(Math.abs(targetMomentum(0.996, 50, 100) - 0.998) < 1e-12);
  assert.ok(Math.abs(targetMomentum(0.996, 100, 100) - 1) < 1e-12);
  assert.ok(Math.abs(targetMomentum(0.9, 25, 100) - (1 - 0.1 * (Math.SQRT1_2 + 1) / 2)) < 1e-12);
});

test('BYOL loss: row v regresses view v\'s prediction on the target projection of the other view (float64 network)', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const options = ByolOptionsSchema.parse({ projectionDim: 4 });
  const method = new ByolMethod({ onlineBackbone: flattenBackbone('byol/online/backbone', 3), targetBackbone: flattenBackbone('byol/target/backbone', 3), random: runRandom(2) }, options);
  const views = randomViews(9, [BATCH, 1, 1, 3]);
  const updates: StateUpdate[] = [];
  const perView = method.loss({ views, indices: Int32Array.from([0, 1, 2, 3]) }, { training: true, stateUpdates: updates });
  const losses = perView.arraySync();
  const [x1, x2] = views.map((v) => tf.tidy(() => v.reshape([BATCH, 3]).arraySync() as Matrix));
  const predict = (x: Matrix) => mlp(method, 'byol/online/predictor', mlp(method, 'byol/online/projector', x));
  const target = (x: Matrix) => mlp(method, 'byol/target/projector', x);
  const [p1, p2, t1, t2] = [predict(x1), predict(x2), target(x1), target(x2)];
  for (let i = 0; i < BATCH; i++) {
    assert.ok(Math.abs(losses[0][i] - (2 - 2 * cosine(p1[i], t2[i]))) < 1e-4, `view 0 sample ${i}`);
    assert.ok(Math.abs(losses[1][i] - (2 - 2 * cosine(p2[i], t1[i]))) < 1e-4, `view 1 sample ${i}`);
  }
  // The hidden width defaults to twice the feature width.
  assert.equal(values(method, 'byol/online/projector/fc1/bias').length, 6);
  tf.dispose([perView, ...views, ...updates.map((u) => u.value)]);
  method.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('BYOL overfits a fixed tiny batch; the target moves by tau exactly; nothing leaks', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const options: ByolOptions = ByolOptionsSchema.parse({ projectionDim: 8, baseMomentum: 0.9 });
  const method = new ByolMethod(resnetParts(), options);
  const views = randomViews(3);
  const indices = Int32Array.from([0, 1, 2, 3]);
  const all = () => [...method.trainableVariables(), ...method.stateVariables()];
  const targets = method.stateVariables().filter((v) => v.name.startsWith('byol/target/'));
  const onlineOf = (t: tf.Variable) => all().find((v) => v.name === t.name.replace('byol/target/', 'byol/online/'))!;
  assert.ok(targets.length > 0 && targets.every((t) => onlineOf(t) !== undefined));
  assert.ok(method.trainableVariables().every((v) => !v.name.startsWith('byol/target/')));
  assert.equal(new Set(all().map((v) => v.name)).size, all().length, 'variable names are unique');
  const steps = 15;
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const updates: StateUpdate[] = [];
    const { value, grads } = tf.variableGrads(() => method.loss({ views, indices }, { training: true, stateUpdates: updates }).mean() as tf.Scalar, method.trainableVariables());
    losses.push(value.dataSync()[0]);
    for (const v of method.trainableVariables()) tf.tidy(() => v.assign(v.sub(grads[v.name].mul(0.2))));
    applyStateUpdates(updates);
    tf.dispose([value, grads]);
    const checked = step === 0 || step === 7;
    const old = checked ? targets.map((t) => t.dataSync().slice()) : [];
    const online = checked ? targets.map((t) => onlineOf(t).dataSync().slice()) : [];
    method.afterStep(step, steps);
    if (checked) {
      const tau = 1 - (0.1 * (Math.cos((Math.PI * step) / steps) + 1)) / 2;
      targets.forEach((t, j) => {
        const now = t.dataSync();
        for (let i = 0; i < now.length; i++) {
          const expected = tau * old[j][i] + (1 - tau) * online[j][i];
          assert.ok(Math.abs(now[i] - expected) <= 1e-6 * (1 + Math.abs(expected)), `${t.name}[${i}] at step ${step}: ${now[i]} vs ${expected}`);
        }
      });
    }
  }
  assert.ok(losses.at(-1)! < losses[0] * 0.5, `losses ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  const features = method.encode(views[0]);
  assert.equal(features.shape[0], BATCH);
  tf.dispose([features, ...views]);
  method.dispose();
  method.dispose(); // idempotent
  assert.equal(tf.memory().numTensors, before);
});

test('the plugin\'s onAfterStep takes K = epochs x stepsPerEpoch from RunInfo', async () => {
  const before = tf.memory().numTensors;
  const run = container.createChildContainer();
  provide(run, BackboneFactory, (owner: string) => flattenBackbone(owner, 3));
  provide(run, RunRandom, runRandom(1));
  const plugin = await byolPlugin.create({ options: ByolOptionsSchema.parse({ projectionDim: 4, baseMomentum: 0.5 }), container: run, resolve: (tok) => resolve(run, tok) });
  const variables = () => [...plugin.method!.trainableVariables(), ...plugin.method!.stateVariables()];
  const online = variables().find((v) => v.name === 'byol/online/projector/fc2/bias')!;
  const target = variables().find((v) => v.name === 'byol/target/projector/fc2/bias')!;
  const old = Array.from(target.dataSync());
  tf.tidy(() => online.assign(tf.fill(online.shape, 1)));
  const onAfterStep = plugin.hooks!.onAfterStep as (context: StepContext) => void;
  // Step 3 of K = 2 x 5 = 10: tau = 1 - 0.5 (cos(0.3 pi) + 1) / 2.
  onAfterStep({ run: { epochs: 2, stepsPerEpoch: 5 }, step: 3 } as StepContext);
  const tau = 1 - (0.5 * (Math.cos(0.3 * Math.PI) + 1)) / 2;
  Array.from(target.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - (tau * old[i] + (1 - tau))) < 1e-6, `bias[${i}]: ${v}`));
  plugin.dispose!();
  assert.equal(tf.memory().numTensors, before);
});
