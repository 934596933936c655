import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { defineAugmentationOp, definePlugin, isBclError, registerAugmentationOp, registerPlugin, train, z } from '../core/index';
import { noiseBoostPlugin } from './support/noise-boost-plugin';
import { pixelNoiseCalls } from './support/pixel-noise-op';
import { snapshotVariables, tinySetup } from './support/tiny-run';

const DATA = { dataset: { type: 'synthetic', size: 8, height: 8, width: 8, channels: 3, numClasses: 2 }, batchSize: 4 };
/** View 0: the SimCLR crop and flip, then the third-party op; view 1: the method's pipeline (null). */
const VIEWS = [{ pipeline: [{ op: 'RandomResizedCrop' }, { op: 'RandomHorizontalFlip' }, { op: 'PixelNoise', amplitude: 16 }] }, null];

async function run(workers: number, extra: Record<string, unknown>, plugins: { name: string }[] = [{ name: 'noise-boost' }]) {
  const seen = { batches: 0 };
  let weights: Map<string, Float32Array> | undefined;
  const { registry, recipe } = tinySetup({ data: { ...DATA, workers }, plugins: [...plugins, { name: 'weights' }], ...extra }, (c) => {
    registerPlugin(noiseBoostPlugin(seen), c);
    registerPlugin(definePlugin({ name: 'weights', kind: 'addon', description: 'weights at the end', options: z.strictObject({}), create: () => ({ hooks: { onTrainEnd: () => void (weights = snapshotVariables()) } }) }), c);
  });
  await train({ recipe, backend: 'cpu', container: registry });
  return { weights: weights!, seen };
}

function same(a: Map<string, Float32Array>, b: Map<string, Float32Array>): boolean {
  return [...a].every(([name, values]) => {
    const other = b.get(name);
    return other !== undefined && other.every((v, i) => v === values[i]);
  });
}

test('a third-party op in a recipe view and a third-party per-sample policy train; data workers load the op and give the same weights', async () => {
  const before = pixelNoiseCalls.count;
  const onMain = await run(0, { augmentation: { views: VIEWS, blur: { probability: 0.5 } } }, [{ name: 'noise-boost', evenCropScale: [0.5, 1] } as { name: string }]);
  assert.equal(onMain.seen.batches, 4, 'the policy ran every step');
  assert.ok(pixelNoiseCalls.count > before, 'the op ran');
  const inWorkers = await run(1, { augmentation: { views: VIEWS, blur: { probability: 0.5 } } }, [{ name: 'noise-boost', evenCropScale: [0.5, 1] } as { name: string }]);
  assert.ok(same(onMain.weights, inWorkers.weights), 'a worker resolves PixelNoise by its module: bit-identical training');
  const withoutPolicy = await run(0, { augmentation: { views: VIEWS, blur: { probability: 0.5 } } }, []);
  assert.ok(!same(onMain.weights, withoutPolicy.weights), 'the policy changed the views');
  const withoutCropChange = await run(0, { augmentation: { views: VIEWS, blur: { probability: 0.5 } } });
  assert.ok(!same(onMain.weights, withoutCropChange.weights), 'the per-sample crop change changed the views');
  assert.equal(tf.memory().numTensors, 0);
});

test('bad op parameters in a recipe view fail before training with the path; a policy step with bad parameters names the hook', async () => {
  await assert.rejects(
    run(0, { augmentation: { views: [{ pipeline: [{ op: 'PixelNoise', amplitude: 300 }] }] } }, []),
    (e: unknown) => isBclError(e) && /recipe\.augmentation\.views\[0\]\.pipeline\[0\]\.amplitude must be <= 255, but got 300 \(op PixelNoise\)/.test(e.message),
  );
  await assert.rejects(
    run(0, {}, [{ name: 'noise-boost', amplitude: 256 } as { name: string }]),
    /recipe\.plugins\[0\]\.amplitude must be <= 255/,
  );
});

test('an op registered without a module cannot run in a data worker: a clear error up front; on the main thread it works', async () => {
  registerAugmentationOp(
    defineAugmentationOp({ name: 'MainThreadOnly', description: 'identity', params: z.strictObject({}), apply: (image) => image }),
  );
  const views = [{ pipeline: [{ op: 'MainThreadOnly' }] }, null];
  await assert.rejects(run(1, { augmentation: { views } }, []), (e: unknown) => isBclError(e) && /"MainThreadOnly" .*registered without a `module`.*Hint: .*module: __filename/s.test(e.message));
  await run(0, { augmentation: { views } }, []);
});
