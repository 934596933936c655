import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { container } from 'tsyringe';
import {
  applyStateUpdates,
  createResNet,
  isBclError,
  provide,
  resolve,
  Rng,
  RunRecipe,
  runRandom,
  TrainingDataset,
  type StateUpdate,
} from '../../core/index';
import { enqueue, infoNcePerSample, MocoMethod, mocoPlugin, MocoOptionsSchema, type MocoOptions } from './index';

const BATCH = 4;

/** Fixed 8x8 RGB images [B, 8, 8, 3]; the caller disposes them. */
function randomViews(seed: number): tf.Tensor4D[] {
  const rng = new Rng(seed);
  const view = () => tf.tensor4d(Float32Array.from({ length: BATCH * 8 * 8 * 3 }, () => rng.normal()), [BATCH, 8, 8, 3]);
  return [view(), view()];
}

function makeMethod(overrides: Partial<MocoOptions> = {}): MocoMethod {
  const options = MocoOptionsSchema.parse({ projectionDim: 8, queueSize: 64, ...overrides });
  const backbone = (owner: string) => createResNet({ name: owner, rng: new Rng(owner.length), depth: 18, baseWidth: 2, inputChannels: 3 });
  return new MocoMethod({ queryBackbone: backbone('moco/query/backbone'), keyBackbone: backbone('moco/key/backbone'), random: runRandom(7) }, options);
}

function variable(method: MocoMethod, name: string): tf.Variable {
  const found = method.stateVariables().find((v) => v.name === name);
  assert.ok(found, `no state variable ${name}`);
  return found;
}

/** Rows of a [n, d] array as float64 JS arrays. */
function rows(values: Float32Array, width: number): number[][] {
  return Array.from({ length: values.length / width }, (_, i) => Array.from(values.subarray(i * width, (i + 1) * width)));
}

function dot(a: number[], b: number[]): number {
  return a.reduce((sum, x, i) => sum + x * b[i], 0);
}

function unit(a: number[]): number[] {
  const norm = Math.sqrt(dot(a, a));
  return a.map((x) => x / norm);
}

/** Float64 InfoNCE of one query: -log softmax over [positive, negatives...] at index 0. */
function referenceInfoNce(query: number[], positive: number[], negatives: number[][], t: number): number {
  const logits = [dot(query, positive) / t, ...negatives.map((n) => dot(query, n) / t)];
  const max = Math.max(...logits);
  return max + Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0)) - logits[0];
}

test('infoNcePerSample equals a float64 InfoNCE with the positive at logit 0', () => {
  const rng = new Rng(11);
  const draw = (n: number) => Array.from({ length: n }, () => unit([rng.normal(), rng.normal(), rng.normal(), rng.normal()]));
  const [queries, keys, queue] = [draw(3), draw(3), draw(5)];
  const result = tf.tidy(() => infoNcePerSample(tf.tensor2d(queries), tf.tensor2d(keys), tf.tensor2d(queue), 0.2).arraySync());
  const expected = queries.map((q, i) => referenceInfoNce(q, keys[i], queue, 0.2));
  result.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-5, `sample ${i}: ${v} vs ${expected[i]}`));
});

test('enqueue overwrites the oldest rows, wraps around the end and moves the pointer', () => {
  const queue = [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]];
  const keys = [[10, 10], [11, 11], [12, 12]];
  const [wrapped, pointer] = tf.tidy(() => {
    const next = enqueue(tf.tensor2d(queue), tf.scalar(3), tf.tensor2d(keys));
    return [next.queue.arraySync(), next.pointer.arraySync()];
  });
  // Rows 3, 4, then 0 take the keys; the pointer lands on 1.
  assert.deepEqual(wrapped, [[12, 12], [1, 1], [2, 2], [10, 10], [11, 11]]);
  assert.equal(pointer, 1);
  const exact = tf.tidy(() => enqueue(tf.tensor2d(queue), tf.scalar(3), tf.tensor2d(keys.slice(0, 2))).pointer.arraySync());
  assert.equal(exact, 0);
});

test('MoCo loss: row v is view v\'s query against the other view\'s key and the queue (float64 reference)', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const method = makeMethod();
  const views = randomViews(3);
  const queue = variable(method, 'moco/queue');
  const initialQueue = rows(queue.dataSync() as Float32Array, 8);
  const updates: StateUpdate[] = [];
  const perView = method.loss({ views, indices: Int32Array.from([0, 1, 2, 3]) }, { training: true, stateUpdates: updates });
  assert.deepEqual(perView.shape, [2, BATCH]);
  const losses = perView.arraySync();
  method.afterStep();
  // The key encoder starts as an exact copy of the query encoder, so the keys it enqueued (view 1's,
  // then view 2's) are also the queries of this step.
  const after = rows(queue.dataSync() as Float32Array, 8);
  const [embedded1, embedded2] = [after.slice(0, BATCH), after.slice(BATCH, 2 * BATCH)];
  for (let i = 0; i < BATCH; i++) {
    const expected = [referenceInfoNce(embedded1[i], embedded2[i], initialQueue, 0.2), referenceInfoNce(embedded2[i], embedded1[i], initialQueue, 0.2)];
    for (const v of [0, 1]) assert.ok(Math.abs(losses[v][i] - expected[v]) < 1e-4, `view ${v} sample ${i}: ${losses[v][i]} vs ${expected[v]}`);
  }
  assert.deepEqual(after.slice(2 * BATCH), initialQueue.slice(2 * BATCH));
  assert.equal(variable(method, 'moco/queue-pointer').dataSync()[0], 2 * BATCH);
  tf.dispose([perView, ...views, ...updates.map((u) => u.value)]);
  method.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('MoCo overfits a fixed tiny batch; the key encoder moves by momentum exactly; nothing leaks', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  // A fixed batch fills the queue with its own keys, which are near-duplicates of each positive and
  // put a floor of about log(1 + duplicates) under the loss; a large queue of random negatives
  // keeps that floor low over 15 steps.
  const method = makeMethod({ momentum: 0.9, queueSize: 4096, projectionDim: 16 });
  const views = randomViews(5);
  const indices = Int32Array.from([0, 1, 2, 3]);
  const names = new Set(method.stateVariables().map((v) => v.name));
  assert.equal(names.size, method.stateVariables().length, 'state variable names are unique');
  const keyVariables = method.stateVariables().filter((v) => v.name.startsWith('moco/key/'));
  const queryOf = (key: tf.Variable) => [...method.trainableVariables(), ...method.stateVariables()].find((v) => v.name === key.name.replace('moco/key/', 'moco/query/'))!;
  assert.ok(keyVariables.length > 0 && keyVariables.every((k) => queryOf(k) !== undefined));
  const losses: number[] = [];
  for (let step = 0; step < 15; step++) {
    const updates: StateUpdate[] = [];
    const { value, grads } = tf.variableGrads(() => method.loss({ views, indices }, { training: true, stateUpdates: updates }).mean() as tf.Scalar, method.trainableVariables());
    losses.push(value.dataSync()[0]);
    for (const v of method.trainableVariables()) tf.tidy(() => v.assign(v.sub(grads[v.name].mul(0.2))));
    applyStateUpdates(updates);
    tf.dispose([value, grads]);
    const checked = step === 0 || step === 14;
    const oldKeys = checked ? keyVariables.map((k) => k.dataSync().slice()) : [];
    const queries = checked ? keyVariables.map((k) => queryOf(k).dataSync().slice()) : [];
    method.afterStep();
    if (checked) {
      keyVariables.forEach((k, j) => {
        const now = k.dataSync();
        for (let i = 0; i < now.length; i++) {
          const expected = 0.9 * oldKeys[j][i] + 0.1 * queries[j][i];
          assert.ok(Math.abs(now[i] - expected) <= 1e-6 * (1 + Math.abs(expected)), `${k.name}[${i}]: ${now[i]} vs ${expected}`);
        }
      });
    }
  }
  assert.ok(losses.at(-1)! < losses[0] - 1.5, `losses ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  const features = method.encode(views[0]);
  assert.equal(features.shape[0], BATCH);
  tf.dispose([features, ...views]);
  method.dispose();
  method.dispose(); // idempotent
  assert.equal(tf.memory().numTensors, before);
});

test('MoCo refuses a queue smaller than one step of keys before creating any variable', () => {
  const run = container.createChildContainer();
  provide(run, RunRecipe, { data: { batchSize: 64 } } as RunRecipe);
  provide(run, TrainingDataset, { size: 1000 } as TrainingDataset);
  const variables = tf.memory().numTensors;
  assert.throws(
    () => mocoPlugin.create({ options: MocoOptionsSchema.parse({ queueSize: 100 }), container: run, resolve: (tok) => resolve(run, tok) }),
    (error: unknown) => isBclError(error) && error.code === 'RECIPE_INVALID' && /queueSize must be >= 2 x batch size \(128\), but got 100/.test(error.message),
  );
  assert.equal(tf.memory().numTensors, variables);
});
