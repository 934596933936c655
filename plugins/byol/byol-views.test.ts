import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { container } from 'tsyringe';
import { loadRawRecipe, SIMCLR_BASE_PIPELINE, train, validateRecipe } from '../../core/index';
import { registerBuiltinPlugins } from '../index';
import { BYOL_VIEWS } from './index';

function probabilities(view: number): [number, number] {
  const step = (op: string) => BYOL_VIEWS[view].pipeline.find((s) => s.op === op)!;
  return [step('GaussianBlur').probability as number, step('RandomSolarize').probability as number];
}

test('BYOL declares the paper\'s asymmetric views: blur 1.0 / 0.1, solarize 0 / 0.2, the SimCLR ops otherwise', () => {
  assert.equal(BYOL_VIEWS.length, 2);
  assert.deepEqual(probabilities(0), [1, 0]);
  assert.deepEqual(probabilities(1), [0.1, 0.2]);
  for (const view of BYOL_VIEWS) assert.deepEqual(view.pipeline.map((s) => s.op), SIMCLR_BASE_PIPELINE.map((s) => s.op));
});

/** The shipped BYOL recipe shrunk to a tiny run (8 synthetic images, two epochs); returns its epoch losses. */
async function byolRun(extra: Record<string, unknown> = {}): Promise<number[]> {
  const registry = container.createChildContainer();
  registerBuiltinPlugins(registry);
  const raw = loadRawRecipe('byol_resnet18-w8_b128-cos-5e_fashion-mnist-lt-embedded');
  const recipe = validateRecipe(
    {
      ...raw,
      method: { name: 'byol', projectionDim: 8 },
      backbone: { depth: 18, width: 2 },
      data: { dataset: { type: 'synthetic', size: 8, height: 16, width: 16, channels: 3, numClasses: 2 }, batchSize: 4, workers: 0 },
      epochs: 2,
      schedule: { warmupEpochs: 1 },
      ...extra,
    },
    'tiny byol',
    registry,
  );
  return (await train({ recipe, backend: 'cpu', container: registry })).epochLosses;
}

test('BYOL trains from its recipe with its asymmetric views; making them symmetric (the recipe override) changes training', async () => {
  const asymmetric = await byolRun();
  assert.equal(asymmetric.length, 2);
  assert.ok(asymmetric.every(Number.isFinite));
  assert.deepEqual(await byolRun(), asymmetric, 'deterministic');
  const symmetric = await byolRun({ augmentation: { views: [{ pipeline: SIMCLR_BASE_PIPELINE }, { pipeline: SIMCLR_BASE_PIPELINE }] } });
  assert.notDeepEqual(symmetric, asymmetric, 'the declared blur and solarize reach the views (the recipe itself sets none)');
});
