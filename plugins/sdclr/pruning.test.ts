import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { container } from 'tsyringe';
import {
  applyStateUpdates,
  BackboneFactory,
  createResNet,
  EventBus,
  provide,
  resolve,
  Rng,
  RunEvents,
  RunRandom,
  runRandom,
  type EpochContext,
  type StateUpdate,
} from '../../core/index';
import { SdclrOptionsSchema, sdclrPlugin } from './index';
import { SdclrMethod } from './sdclr-method';

/** The plugin as a run creates it, on a width-2 ResNet-18, with its onEpochStart hook. */
async function createSdclr() {
  const run = container.createChildContainer();
  provide(run, BackboneFactory, (owner: string) => createResNet({ name: owner, rng: new Rng(1), depth: 18, baseWidth: 2, inputChannels: 3 }));
  provide(run, RunRandom, runRandom(0));
  provide(run, RunEvents, new EventBus());
  const plugin = await sdclrPlugin.create({
    options: SdclrOptionsSchema.parse({ projectionDim: 8 }),
    container: run,
    resolve: (tok) => resolve(run, tok),
  });
  const method = plugin.method as SdclrMethod;
  const onEpochStart = plugin.hooks!.onEpochStart as (context: EpochContext) => Promise<void>;
  const epochStart = (epoch: number) => onEpochStart({ epoch, run: {} as EpochContext['run'] });
  return { method, epochStart, dispose: () => plugin.dispose!() };
}

/** Host copies of every conv kernel and its mask. */
function readConvs(method: SdclrMethod): { kernel: Float32Array; mask: Float32Array }[] {
  return method.prunedBranch.convs.map((c) => ({ kernel: c.kernel.dataSync() as Float32Array, mask: c.mask.dataSync() as Float32Array }));
}

/** Asserts exactly round(0.9 N) weights are masked and every masked |w| is below every kept |w|. */
function assertGlobalMagnitudePruning(convs: { kernel: Float32Array; mask: Float32Array }[]): void {
  let total = 0;
  let pruned = 0;
  let maxPruned = 0;
  let minKept = Infinity;
  for (const { kernel, mask } of convs) {
    for (let i = 0; i < kernel.length; i++) {
      assert.ok(mask[i] === 0 || mask[i] === 1);
      total++;
      if (mask[i] === 0) {
        pruned++;
        maxPruned = Math.max(maxPruned, Math.abs(kernel[i]));
      } else {
        minKept = Math.min(minKept, Math.abs(kernel[i]));
      }
    }
  }
  assert.equal(pruned, Math.round(0.9 * total));
  assert.ok(maxPruned < minKept, `one global threshold: pruned up to ${maxPruned}, kept from ${minKept}`);
  // Global, not per layer: layers with larger weights keep more than 10 %.
  const ratios = convs.map(({ mask }) => mask.reduce((s, m) => s + (1 - m), 0) / mask.length);
  assert.ok(Math.max(...ratios) - Math.min(...ratios) > 0.1, `per-layer pruned fractions ${ratios.map((r) => r.toFixed(2))}`);
}

test('SDCLR prunes 90% of all conv weights by one global magnitude threshold, afresh at every epoch start', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const { method, epochStart, dispose } = await createSdclr();
  const kernels = method.trainableVariables().filter((v) => v.rank === 4);
  assert.equal(method.prunedBranch.convs.length, kernels.length, 'every conv kernel is masked');
  assert.ok(readConvs(method).every(({ mask }) => mask.every((m) => m === 1)), 'masks start dense');

  await epochStart(1);
  const first = readConvs(method);
  assertGlobalMagnitudePruning(first);

  // New weights (each layer rescaled differently) must give new masks at the next epoch start.
  const rng = new Rng(5);
  kernels.forEach((k, layer) => tf.tidy(() => k.assign(tf.tensor(Float32Array.from({ length: k.size }, () => rng.normal() * (1 + (layer % 3))), k.shape))));
  await epochStart(2);
  const second = readConvs(method);
  assertGlobalMagnitudePruning(second);
  assert.ok(second.some((c, i) => c.mask.some((m, j) => m !== first[i].mask[j])), 'masks were recomputed');

  // Masks and the pruned BN statistics are checkpointed state, uniquely named; none is trained.
  const state = method.stateVariables().map((v) => v.name);
  const trainable = method.trainableVariables().map((v) => v.name);
  assert.equal(new Set([...state, ...trainable]).size, state.length + trainable.length);
  assert.ok(state.includes('sdclr/pruned/backbone/layer2.0.downsample.0/mask'));
  assert.ok(state.includes('sdclr/pruned/backbone/layer4.1.bn2/running_var'));
  assert.ok(state.includes('sdclr/pruned/projector/bn2/running_mean'));
  assert.ok(trainable.includes('sdclr/pruned/projector/bn1/gamma'));
  dispose();
  dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("the pruned branch's BatchNorm statistics come from view 2 through masked kernels, the dense ones from view 1", async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const { method, epochStart, dispose } = await createSdclr();
  await epochStart(1);
  const rng = new Rng(11);
  const image = (scale: number, shift: number) =>
    tf.tensor4d(Float32Array.from({ length: 4 * 8 * 8 * 3 }, () => rng.normal() * scale + shift), [4, 8, 8, 3]);
  const views = [image(1, 0), image(3, 2)];
  const updates: StateUpdate[] = [];
  tf.dispose(method.loss({ views, indices: Int32Array.from([0, 1, 2, 3]) }, { training: true, stateUpdates: updates }));
  applyStateUpdates(updates);

  const byName = new Map(method.stateVariables().concat(method.trainableVariables()).map((v) => [v.name, v]));
  const kernel = byName.get('sdclr/backbone/conv1/kernel')! as tf.Tensor4D;
  const mask = byName.get('sdclr/pruned/backbone/conv1/mask')! as tf.Tensor4D;
  // PyTorch's update from the initial (0, 1): running = 0.1 * batch statistic (+ 0.9 for the variance).
  const expected = (input: tf.Tensor4D, k: tf.Tensor4D) =>
    tf.tidy(() => {
      const { mean, variance } = tf.moments(tf.conv2d(input, k, 1, 1), [0, 1, 2]);
      const n = 4 * 8 * 8;
      return [mean.mul(0.1).arraySync() as number[], variance.mul((0.1 * n) / (n - 1)).add(0.9).arraySync() as number[]];
    });
  const [denseMean, denseVar] = expected(views[0], kernel);
  const [prunedMean, prunedVar] = tf.tidy(() => expected(views[1], tf.mul(kernel, mask) as tf.Tensor4D));
  const read = (name: string) => Array.from(byName.get(name)!.dataSync());
  const close = (a: number[], b: number[], what: string) => a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) < 1e-4, `${what}[${i}]: ${x} vs ${b[i]}`));
  close(read('sdclr/backbone/bn1/running_mean'), denseMean, 'dense mean');
  close(read('sdclr/backbone/bn1/running_var'), denseVar, 'dense var');
  close(read('sdclr/pruned/backbone/bn1/running_mean'), prunedMean, 'pruned mean');
  close(read('sdclr/pruned/backbone/bn1/running_var'), prunedVar, 'pruned var');
  assert.ok(Math.abs(denseVar[0] - prunedVar[0]) > 1e-3, 'the two branches keep different statistics');
  tf.dispose(views);
  dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('unpruned, the pruned branch reproduces core ResNet-50 (ImageNet stem, bottlenecks) and its projector exactly', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const backbone = createResNet({ name: 'sdclr/backbone', rng: new Rng(1), depth: 50, stem: 'imagenet', baseWidth: 2, inputChannels: 1 });
  const method = new SdclrMethod(backbone, new Rng(2), { temperature: 0.2, pruneRatio: 0.9, projectionDim: 8, hiddenDim: 0 });
  const rng = new Rng(4);
  const images = tf.tensor4d(Float32Array.from({ length: 3 * 16 * 16 }, () => rng.normal()), [3, 16, 16, 1]);
  for (const training of [true, false]) {
    const [dense, pruned] = tf.tidy(() => [
      Array.from(method['projector'].apply(backbone.apply(images, { training }), { training }).dataSync()),
      Array.from(method.prunedBranch.apply(images, { training }).dataSync()),
    ]);
    dense.forEach((d, i) => assert.ok(Math.abs(d - pruned[i]) < 1e-5, `training=${training} [${i}]: ${d} vs ${pruned[i]}`));
  }
  tf.dispose(images);
  method.dispose();
  assert.equal(tf.memory().numTensors, before);
});
