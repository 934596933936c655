import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { applyStateUpdates, createProjector, createResNet, ntXentPerView, Rng, type StateUpdate } from '../../core/index';
import { loadReference } from '../../test/support/reference';
import { SdclrMethod } from './sdclr-method';

interface NtXentCase {
  batch: number;
  temperature: number;
  features: number[][];
  per_sample_loss: number[];
}

const OPTIONS = { temperature: 0.2, pruneRatio: 0.9, projectionDim: 8, hiddenDim: 0 };

/** Float64 NT-Xent of the authors' `nt_xent(x, features2=y)`, per view: [anchor view][sample]. */
function ntXent64(x: number[][], y: number[][], t: number): number[][] {
  const unit = (v: number[]) => {
    const n = Math.max(Math.hypot(...v), 1e-12);
    return v.map((e) => e / n);
  };
  const z = [...x.map(unit), ...y.map(unit)];
  const b = x.length;
  const dot = (p: number[], q: number[]) => p.reduce((s, e, i) => s + e * q[i], 0);
  const rows = [0, 1].map((view) =>
    x.map((_, i) => {
      const a = view * b + i;
      const pos = Math.exp(dot(z[a], z[(a + b) % (2 * b)]) / t);
      let neg = 0;
      for (let k = 0; k < 2 * b; k++) if (k !== a && k !== (a + b) % (2 * b)) neg += Math.exp(dot(z[a], z[k]) / t);
      return -Math.log(pos / (pos + neg));
    }),
  );
  return rows;
}

function closeTo(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    assert.ok(error < tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

function randomImages(rng: Rng, batch: number, scale = 1, shift = 0): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from({ length: batch * 8 * 8 * 3 }, () => rng.normal() * scale + shift), [batch, 8, 8, 3]);
}

test("SDCLR's NT-Xent between dense view 1 and pruned view 2 matches the BCL authors' numbers and a float64 computation", async () => {
  await tf.setBackend('cpu');
  for (const c of loadReference<{ nt_xent: NtXentCase[] }>('bcl-losses.json').nt_xent) {
    // Rows 2i and 2i+1 are the two views of sample i: the dense and the pruned embedding.
    const dense = c.features.filter((_, r) => r % 2 === 0);
    const pruned = c.features.filter((_, r) => r % 2 === 1);
    const perView = ntXentPerView(tf.tensor2d(dense), tf.tensor2d(pruned), c.temperature);
    const perSample = tf.tidy(() => perView.mean(0).dataSync());
    closeTo(perSample, c.per_sample_loss, 1e-5, 'authors per-sample loss');
    closeTo(perView.dataSync(), ntXent64(dense, pruned, c.temperature).flat(), 1e-5, 'float64 per-view loss');
    tf.dispose(perView);
  }
});

test('SDCLR loss is NT-Xent of the dense network on view 1 against a masked, own-BN copy on view 2', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const backbone = createResNet({ name: 'sdclr/backbone', rng: new Rng(1), depth: 18, baseWidth: 2, inputChannels: 3 });
  const method = new SdclrMethod(backbone, new Rng(2), OPTIONS);
  await method.prune();
  // Give the pruned branch's BatchNorm affine terms values of their own, so sharing would show.
  const rng = new Rng(7);
  for (const v of method.prunedBranch.trainableVariables()) {
    tf.tidy(() => v.assign(tf.tensor(Float32Array.from({ length: v.size }, () => 1 + 0.3 * rng.normal()), v.shape)));
  }
  // Reference: core's own ResNet and projector holding the dense weights with kernels * masks and
  // the pruned branch's BatchNorm gammas and betas.
  const reference = createResNet({ name: 'ref/backbone', rng: new Rng(9), depth: 18, baseWidth: 2, inputChannels: 3 });
  const referenceHead = createProjector({ name: 'ref/projector', rng: new Rng(9), inputDim: reference.featureDim, outputDim: 8 });
  const live = new Map(method.trainableVariables().concat(method.stateVariables()).map((v) => [v.name, v]));
  for (const v of [...reference.trainableVariables(), ...referenceHead.trainableVariables()]) {
    const path = v.name.replace(/^ref\//, '');
    const isBn = /\/(gamma|beta)$/.test(path);
    const source = live.get(isBn ? `sdclr/pruned/${path}` : `sdclr/${path}`)!;
    const mask = path.endsWith('/kernel') ? live.get(`sdclr/pruned/${path.replace(/kernel$/, 'mask')}`) : undefined;
    tf.tidy(() => v.assign(mask ? tf.mul(source, mask) : source));
  }
  const views = [randomImages(rng, 4), randomImages(rng, 4)];
  const updates: StateUpdate[] = [];
  const loss = method.loss({ views, indices: Int32Array.from([0, 1, 2, 3]) }, { training: true, stateUpdates: updates });
  const [dense, pruned] = tf.tidy(() => [
    method['projector'].apply(backbone.apply(views[0], { training: true }), { training: true }).arraySync() as number[][],
    referenceHead.apply(reference.apply(views[1], { training: true }), { training: true }).arraySync() as number[][],
  ]);
  closeTo(loss.dataSync(), ntXent64(dense, pruned, 0.2).flat(), 2e-4, 'method loss');
  assert.deepEqual(loss.shape, [2, 4]);
  // Only masked weights differ from a dense pass: the masked copy is not the dense network.
  const denseOnView2 = tf.tidy(() => method['projector'].apply(backbone.apply(views[1], { training: true }), { training: true }).arraySync() as number[][]);
  assert.ok(Math.abs(denseOnView2[0][0] - pruned[0][0]) > 1e-3);
  applyStateUpdates(updates);
  tf.dispose([loss, ...views]);
  reference.dispose();
  referenceHead.dispose();
  method.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('SDCLR overfits a fixed tiny batch without leaking, gradients reaching the shared weights through both branches', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const backbone = createResNet({ name: 'sdclr/backbone', rng: new Rng(1), depth: 18, baseWidth: 2, inputChannels: 3 });
  const method = new SdclrMethod(backbone, new Rng(2), OPTIONS);
  await method.prune();
  const rng = new Rng(3);
  const views = [randomImages(rng, 4), randomImages(rng, 4)];
  const indices = Int32Array.from([0, 1, 2, 3]);
  const losses: number[] = [];
  for (let i = 0; i < 15; i++) {
    const updates: StateUpdate[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const perView = method.loss({ views, indices }, { training: true, stateUpdates: updates });
      return perView.mean() as tf.Scalar;
    }, method.trainableVariables());
    losses.push(value.dataSync()[0]);
    if (i === 0) {
      // The pruned branch's BN and the dense kernels both learn; pruned weights get only the dense gradient.
      assert.ok(grads['sdclr/pruned/backbone/bn1/gamma'], 'pruned BN gets gradients');
      assert.ok(grads['sdclr/backbone/conv1/kernel'], 'shared kernel gets gradients');
    }
    tf.tidy(() => {
      for (const v of method.trainableVariables()) if (grads[v.name]) v.assign(v.sub(grads[v.name].mul(0.5)));
    });
    applyStateUpdates(updates);
    tf.dispose([value, grads]);
  }
  // Chance level for 2B = 8 embeddings is ln(7) ~ 1.95; a memorised batch goes well below it.
  assert.ok(losses[0] > 1.2, `first loss ${losses[0]}`);
  assert.ok(losses.at(-1)! < losses[0] * 0.6, `losses ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  const features = method.encode(views[0]);
  assert.deepEqual(features.shape, [4, backbone.featureDim]);
  tf.dispose([features, ...views]);
  method.dispose();
  method.dispose(); // idempotent
  assert.equal(tf.memory().numTensors, before);
});
