import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { isBclError } from '../errors';
import type { AugmentationPolicy } from '../hooks/contexts';
import { RecipeSchema, type ResolvedRecipe } from '../recipes/recipe-schema';
import { BaseViewPool } from './base-view-pool';
import { createViewPipeline } from './create-view-pipeline';
import type { IndexedDataset } from './dataset';
import { syntheticDataset } from './synthetic-dataset';
import { emptyPolicy, extendPolicy } from './augmentation-policy';
import { resolveViewPipelines } from './augmentation-from-recipe';
import type { ViewPipeline } from './view-pipeline';

const dataset = syntheticDataset({ size: 40, height: 12, width: 12, channels: 3, numClasses: 4, seed: 3 });
const indices = Int32Array.from([17, 3, 29, 0, 11, 38, 5, 22, 9]);

function recipe(extra: Partial<ResolvedRecipe['data']> = {}): ResolvedRecipe {
  return RecipeSchema.parse({
    seed: 7,
    method: { name: 'simclr' },
    data: { dataset: { type: 'synthetic' }, mean: [0.4, 0.5, 0.6], std: [0.2, 0.25, 0.3], ...extra },
    augmentation: { blur: { probability: 0.5 }, solarize: { probability: 0.3 } },
  });
}

/** BCL's shape of policy: k ops, per-sample probability and magnitude range. */
function randAugmentPolicy(k: number): AugmentationPolicy {
  const n = indices.length;
  return extendPolicy(emptyPolicy(indices), (i) => ({ append: [{ op: 'RandAugment', k, probability: (i + 1) / n, magnitude: [0, 30 * ((n - i) / n)] }] }));
}

async function readViews(views: tf.Tensor4D[]): Promise<Float32Array[]> {
  const out = await Promise.all(views.map((v) => v.data() as Promise<Float32Array>));
  tf.dispose(views);
  return out;
}

/** The views as the pre-worker pipeline made them: one generator per view through base and policy, then (x/255 - mean)/std. */
function referenceViews(pipeline: ViewPipeline, policy: AugmentationPolicy, epoch: number, r: ResolvedRecipe): Float32Array[] {
  const { height, width, channels } = dataset.imageShape;
  const pixels = height * width * channels;
  return [0, 1].map((view) => {
    const out = new Float32Array(indices.length * pixels);
    indices.forEach((index, i) => {
      const image = pipeline.augment(index, epoch, view, policy, i);
      for (let p = 0; p < pixels; p++) {
        const c = p % channels;
        out[i * pixels + p] = Math.fround(image.data[p] * Math.fround(1 / (255 * r.data.std[c])) + Math.fround(-r.data.mean[c] / r.data.std[c]));
      }
    });
    return out;
  });
}

for (const [name, policy] of [
  ['no policy', emptyPolicy(indices)],
  ['RandAugment k=1', randAugmentPolicy(1)],
  ['RandAugment k=2', randAugmentPolicy(2)],
] as const) {
  test(`views from workers are bit-identical to the synchronous path (${name})`, async () => {
    const r = recipe();
    const sync = createViewPipeline(dataset, r, { workers: 0 });
    const shared = createViewPipeline(dataset, r, { workers: 2 });
    const perBatch = createViewPipeline(dataset, r, { workers: 1, shareLimitBytes: 0 });
    try {
      assert.equal(sync.workers, 0);
      assert.equal(shared.workers, 2);
      const tensorsBefore = tf.memory().numTensors;
      const expected = referenceViews(sync, policy, 2, r);
      const fromSync = await readViews(sync.views(indices, 2, 2, policy));
      shared.prefetch(indices, 2, 2);
      const fromShared = await readViews(await shared.viewsAsync(indices, 2, 2, policy));
      const fromPerBatch = await readViews(await perBatch.viewsAsync(indices, 2, 2, policy));
      for (let view = 0; view < 2; view++) {
        assert.deepEqual(fromSync[view], expected[view], `sync view ${view}`);
        assert.deepEqual(fromShared[view], expected[view], `shared-dataset workers, view ${view}`);
        assert.deepEqual(fromPerBatch[view], expected[view], `per-batch workers, view ${view}`);
      }
      // The two views differ, and another epoch gives other views: the seed streams are separate.
      assert.notDeepEqual(fromSync[0], fromSync[1]);
      if (policy.samples.length > 0) assert.notDeepEqual(fromSync[0], (await readViews(sync.views(indices, 2, 2, emptyPolicy(indices))))[0], 'the policy changes the views');
      const otherEpoch = await readViews(await shared.viewsAsync(indices, 3, 2, policy));
      assert.notDeepEqual(otherEpoch[0], fromSync[0]);
      assert.equal(tf.memory().numTensors, tensorsBefore);
    } finally {
      await Promise.all([sync.dispose(), shared.dispose(), perBatch.dispose()]);
    }
  });
}

test('a prefetched batch is consumed once; a batch not prefetched is requested on demand; wrong prefetches are ignored', async () => {
  const r = recipe();
  const pipeline = createViewPipeline(dataset, r, { workers: 1 });
  try {
    const other = Int32Array.from([1, 2, 3]);
    pipeline.prefetch(other, 1, 2);
    pipeline.prefetch(indices, 1, 2);
    pipeline.prefetch(indices, 1, 2); // already in flight: no second request
    const a = await readViews(await pipeline.viewsAsync(indices, 1, 2, emptyPolicy(indices)));
    const b = await readViews(await pipeline.viewsAsync(indices, 1, 2, emptyPolicy(indices)));
    const c = await readViews(pipeline.views(indices, 1, 2, emptyPolicy(indices)));
    assert.deepEqual(a, c);
    assert.deepEqual(b, c);
  } finally {
    await pipeline.dispose();
    await pipeline.dispose(); // idempotent
  }
});

test('augmentation base none starts no workers; data.workers from the recipe is honoured', async () => {
  const none = createViewPipeline(dataset, { ...recipe(), augmentation: { ...recipe().augmentation, base: 'none' } }, { workers: 3 });
  const zero = createViewPipeline(dataset, recipe({ workers: 0 }));
  assert.equal(none.workers, 0);
  assert.equal(zero.workers, 0);
  await none.dispose();
  await zero.dispose();
  assert.equal(RecipeSchema.safeParse({ method: { name: 'simclr' }, data: { dataset: { type: 'synthetic' }, workers: -1 } }).success, false);
});

const folders: string[] = [];
after(() => folders.forEach((folder) => fs.rmSync(folder, { recursive: true, force: true })));

function writeWorker(source: string): string {
  folders.push(fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-worker-')));
  const file = path.join(folders[folders.length - 1], 'worker.js');
  fs.writeFileSync(file, source);
  return file;
}

function pool(workerFile: string, data: IndexedDataset = dataset): BaseViewPool {
  return new BaseViewPool(data, { workers: 2, seed: 1, pipelines: resolveViewPipelines(recipe().augmentation), workerFile });
}

test('a worker that exits mid-batch fails the request with a BclError naming the worker; later requests fail too', async () => {
  const crashing = pool(writeWorker(`require('node:worker_threads').parentPort.on('message', () => process.exit(7));`));
  try {
    await assert.rejects(crashing.augment(indices, 1, 2), (error: unknown) => {
      assert.ok(isBclError(error));
      assert.match(error.message, /data worker [12] of 2 exited unexpectedly with code 7/);
      assert.match(error.message, /Hint: .*data\.workers/);
      return true;
    });
    await assert.rejects(crashing.augment(indices, 1, 2), /exited unexpectedly/);
  } finally {
    await crashing.dispose();
  }
});

test('a worker that throws is reported as a crash with its message', async () => {
  const throwing = pool(writeWorker(`require('node:worker_threads').parentPort.on('message', () => { throw new Error('boom in worker'); });`));
  try {
    await assert.rejects(throwing.augment(indices, 1, 2), (error: unknown) => isBclError(error) && /data worker [12] of 2 crashed: boom in worker/.test(error.message));
  } finally {
    await throwing.dispose();
  }
});

test('an error a worker reports for a batch is a BclError with its message; the pool stays usable', async () => {
  const reporting = pool(
    writeWorker(`const { parentPort } = require('node:worker_threads');
parentPort.on('message', (t) => parentPort.postMessage({ id: t.id, error: { message: 'augmentation changed the image shape of sample 29', stack: '' } }));`),
  );
  try {
    for (let round = 0; round < 2; round++) {
      await assert.rejects(reporting.augment(indices, 1, 2), (error: unknown) => isBclError(error) && /data worker [12] of 2 failed to augment a batch: .*sample 29/.test(error.message));
    }
  } finally {
    await reporting.dispose();
  }
});

test('dispose rejects what is pending and terminates the workers', async () => {
  const real = new BaseViewPool(dataset, { workers: 1, seed: 1, pipelines: resolveViewPipelines(recipe().augmentation) });
  const pending = assert.rejects(real.augment(indices, 1, 2), /disposed/);
  await real.dispose();
  await pending;
  await assert.rejects(real.augment(indices, 1, 2), /disposed/);
});
