import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { applyStateUpdates, createOptimizer, createResNet, readDistillTargets, Rng, writeDistillTargets, type StateUpdate } from '../../core/index';
import { SimclrMethod } from '../index';
import { BackboneTap } from './backbone-tap';
import { DistillingMethod } from './distill-method';

const SAMPLES = 6;
const TEACHERS = 2;
const DIM = 4;

/** Unit-length random targets `[TEACHERS, SAMPLES, DIM]`. */
function randomTargets(rng: Rng): Float32Array {
  const values = Float32Array.from({ length: TEACHERS * SAMPLES * DIM }, () => rng.normal());
  for (let r = 0; r < TEACHERS * SAMPLES; r++) {
    const row = values.subarray(r * DIM, (r + 1) * DIM);
    const norm = Math.hypot(...row);
    row.forEach((v, i) => (row[i] = v / norm));
  }
  return values;
}

test('dnc-distill: the base loss plus a per-sample distillation term on the tapped backbone rows; training on a fixed batch drives the term down without leaking', async (t) => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const tap = new BackboneTap();
  const backbone = tap.wrap(createResNet({ name: 'simclr/backbone', rng: new Rng(1), depth: 18, baseWidth: 2, inputChannels: 3 }));
  const base = new SimclrMethod(backbone, new Rng(2), { temperature: 0.2, projectionDim: 8, hiddenDim: 0 });
  const rng = new Rng(3);
  const targets = randomTargets(rng);
  const header = { teachers: TEACHERS, size: SAMPLES, dim: DIM, datasetFingerprint: 'test', sources: [] };
  const method = new DistillingMethod(base, tap, backbone.featureDim, header, () => targets, new Rng(4), { weight: 1, sslWeight: 1, hiddenDim: 0 });
  assert.equal(method.views, 2);
  assert.equal(method.trainableVariables()[0].name, 'simclr/backbone/conv1/kernel', "the student's backbone comes first (finetune and export look for it)");
  assert.ok(method.trainableVariables().some((v) => v.name === 'dnc/head1/fc2/kernel'));

  const image = (): tf.Tensor4D => tf.tensor4d(Float32Array.from({ length: 4 * 8 * 8 * 3 }, () => rng.normal()), [4, 8, 8, 3]);
  const views = [image(), image()];
  const indices = Int32Array.from([5, 0, 3, 1]);
  // The term by hand: with the same recorded features, expert k's target for sample 5 is row 5 of block k.
  const baseOnly = tf.tidy(() => base.loss({ views, indices }, { training: true }));
  const withTerm = method.loss({ views, indices }, { training: true });
  const difference = tf.tidy(() => withTerm.sub(baseOnly));
  const d = await difference.data();
  assert.deepEqual(withTerm.shape, [2, 4]);
  for (let i = 0; i < 4; i++) {
    assert.ok(Math.abs(d[i] - d[4 + i]) < 1e-5, 'the same term is added to both views of a sample');
    // 2 - 2 cos lies in [0, 4].
    assert.ok(d[i] >= 0 && d[i] <= 4, `term ${d[i]}`);
  }
  tf.dispose([baseOnly, withTerm, difference]);

  const distillTerm = (): number =>
    tf.tidy(() => {
      tap.start();
      const perView = base.loss({ views, indices }, { training: true });
      const features = tap.stop();
      const value = method.distillation(features, indices, { training: true }).mean().dataSync()[0];
      // The tap keeps what it records out of every tidy: its receiver frees it.
      tf.dispose([perView, ...features]);
      return value;
    });
  const first = distillTerm();
  const optimizer = createOptimizer({ type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0, nesterov: false }, method.trainableVariables());
  const counts: number[] = [];
  for (let step = 0; step < 30; step++) {
    const updates: StateUpdate[] = [];
    const { value, grads } = tf.variableGrads(() => method.loss({ views, indices }, { training: true, stateUpdates: updates }).mean() as tf.Scalar, method.trainableVariables());
    optimizer.apply(grads, 0.1);
    applyStateUpdates(updates);
    tf.dispose([value, grads]);
    counts.push(tf.memory().numTensors);
  }
  const last = distillTerm();
  t.diagnostic(`distillation term on the fixed batch: ${first.toFixed(4)} -> ${last.toFixed(4)} after 30 steps`);
  assert.ok(last < first * 0.5, `distillation term ${first.toFixed(4)} -> ${last.toFixed(4)}`);
  assert.equal(new Set(counts.slice(2)).size, 1, `tensors per step ${counts.join(' ')}`);
  optimizer.dispose();
  tf.dispose(views);
  method.dispose();
  base.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('dnc-distill refuses a base method whose backbone rows do not match the batch', async () => {
  await tf.setBackend('cpu');
  const tap = new BackboneTap();
  const header = { teachers: 1, size: 4, dim: 2, datasetFingerprint: 'x', sources: [] };
  const fake = {
    views: 1,
    trainableVariables: () => [],
    stateVariables: () => [],
    loss: () => tf.zeros([1, 4]) as tf.Tensor2D,
    encode: (x: tf.Tensor4D) => x.reshape([x.shape[0], -1]) as tf.Tensor2D,
    dispose: () => undefined,
  };
  const method = new DistillingMethod(fake, tap, 3, header, () => new Float32Array(8), new Rng(0), { weight: 1, sslWeight: 1, hiddenDim: 0 });
  const before = tf.memory().numTensors;
  assert.throws(() => method.loss({ views: [], indices: Int32Array.from([0, 1, 2, 3]) }, { training: true }), /ran its backbone in training mode on 0 rows/);
  assert.equal(tf.memory().numTensors, before);
  method.dispose();

  // A base loss that throws after its backbone ran: the recorded features are freed too.
  const backbone = tap.wrap(createResNet({ name: 'throwing/backbone', rng: new Rng(1), depth: 18, baseWidth: 2, inputChannels: 3 }));
  // As a real method does: the forward pass inside its own tidy, which frees all but what the tap kept.
  const throwing = {
    ...fake,
    loss: (batch: { views: readonly tf.Tensor4D[] }) =>
      tf.tidy(() => {
        backbone.apply(batch.views[0], { training: true });
        throw new Error('base failed');
      }),
  };
  const wrapped = new DistillingMethod(throwing, tap, backbone.featureDim, header, () => new Float32Array(8), new Rng(0), { weight: 1, sslWeight: 1, hiddenDim: 0 });
  const images = tf.zeros([4, 8, 8, 3]) as tf.Tensor4D;
  const beforeThrow = tf.memory().numTensors;
  assert.throws(() => wrapped.loss({ views: [images], indices: Int32Array.from([0, 1, 2, 3]) }, { training: true }), /base failed/);
  assert.equal(tf.memory().numTensors, beforeThrow, 'no tensor left behind by a failing base loss');
  tf.dispose(images);
  wrapped.dispose();
  backbone.dispose();
});

test('DnC targets file: round trip, and damage named with the file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-targets-'));
  try {
    const file = path.join(dir, 'targets.bin');
    const values = randomTargets(new Rng(9));
    writeDistillTargets(file, { teachers: TEACHERS, size: SAMPLES, dim: DIM, datasetFingerprint: 'abc', sources: ['experts/e0/x.ckpt', 'experts/e1/y.ckpt'], values });
    const back = readDistillTargets(file);
    assert.deepEqual([...back.values], [...values]);
    assert.deepEqual(back.sources, ['experts/e0/x.ckpt', 'experts/e1/y.ckpt']);
    assert.equal(readDistillTargets(file, true).datasetFingerprint, 'abc');
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, -4));
    assert.throws(() => readDistillTargets(file), /targets\.bin should hold 2 x 6 x 4 float32 values \(192 bytes\) after its header, but holds 188/);
    fs.writeFileSync(file, 'not a targets file');
    assert.throws(() => readDistillTargets(file), /does not start with BCLDNCT1/);
    assert.throws(() => readDistillTargets(path.join(dir, 'missing.bin')), /cannot be read \(ENOENT\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
