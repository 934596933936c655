import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { container } from 'tsyringe';
import { definePlugin, registeredPlugins, registerPlugin, train, validateRecipe, z } from '../core/index';
import { registerBuiltinPlugins } from '../plugins/index';
import { goldenSequence, recorderPlugin, type Recording } from '../core/contract/recorder-plugin';
import { snapshotVariables } from './support/tiny-run';
import { checkpointFiles } from './support/checkpoint-files';
import { methodUnderTest } from './support/method-under-test';

/**
 * The contract every shipped method passes, alone and with each add-on set: the pinned hook
 * sequence over two tiny epochs, no tensor growth across steps, nothing left after the run, and an
 * exact resume (weights, BatchNorm statistics, optimizer and plugin state) from a mid-run checkpoint.
 */
const ADDON_SETS: { name: string }[][] = [[], [{ name: 'bcl' }], [{ name: 'focal' }]];

const methods = (() => {
  const registry = container.createChildContainer();
  registerBuiltinPlugins(registry);
  return registeredPlugins('method', registry).map((d) => d.name);
})();

async function tinyRun(method: string, addons: { name: string }[], recording: Recording, outDir?: string, resume = false) {
  const registry = container.createChildContainer();
  registerBuiltinPlugins(registry);
  registerPlugin(recorderPlugin(recording), registry);
  let weights: Map<string, Float32Array> | undefined;
  registerPlugin(
    definePlugin({
      name: 'weights-at-end',
      kind: 'addon',
      description: 'captures every variable when training ends',
      options: z.strictObject({}),
      create: () => ({ hooks: { onTrainEnd: () => void (weights = snapshotVariables()) } }),
    }),
    registry,
  );
  const dataset = { type: 'synthetic', size: 8, height: 8, width: 8, channels: 3, numClasses: 2 } as const;
  const recipe = validateRecipe(
    {
      method: await methodUnderTest(method, dataset),
      plugins: [...addons, { name: 'recorder' }, { name: 'weights-at-end' }],
      backbone: { depth: 18, width: 2 },
      data: { dataset, batchSize: 4 },
      epochs: 2,
      schedule: { warmupEpochs: 1 },
    },
    `${method} contract recipe`,
    registry,
  );
  await train({ recipe, backend: 'cpu', container: registry, outDir, resume });
  return weights!;
}

for (const method of methods) {
  for (const addons of ADDON_SETS) {
    const label = [method, ...addons.map((a) => a.name)].join(' + ');

    test(`contract: ${label}: hook order, no tensor growth, nothing left behind`, async () => {
      const recording: Recording = { calls: [], tensorsAfterStep: [] };
      await tinyRun(method, addons, recording);
      assert.deepEqual(recording.calls, goldenSequence(2, 2, 4, recording.views!));
      assert.ok(recording.tensorsAfterStep.every((n) => n === recording.tensorsAfterStep[0]), `live tensors per step: ${recording.tensorsAfterStep}`);
      assert.equal(tf.memory().numTensors, 0);
    });

    test(`contract: ${label}: resume from the epoch-1 checkpoint equals an uninterrupted run`, async () => {
      const full = await tinyRun(method, addons, { calls: [], tensorsAfterStep: [] });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-contract-'));
      await tinyRun(method, addons, { calls: [], tensorsAfterStep: [] }, dir);
      const store = path.join(dir, 'checkpoints');
      fs.rmSync(path.join(store, checkpointFiles(store)[1]));
      const resumed = await tinyRun(method, addons, { calls: [], tensorsAfterStep: [] }, dir, true);
      assert.ok(full.size > 0);
      for (const [name, values] of full) assert.deepEqual(resumed.get(name), values, name);
    });
  }
}
