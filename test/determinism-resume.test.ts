import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { definePlugin, registerPlugin, train, z } from '../core/index';
import { snapshotVariables, tinySetup } from './support/tiny-run';
import { checkpointFiles } from './support/checkpoint-files';

/** An add-on that captures all weights when training ends, and counts its steps as plugin state. */
function captureInto(out: { weights?: Map<string, Float32Array>; steps: number }) {
  return definePlugin({
    name: 'capture',
    kind: 'addon',
    description: 'captures weights at the end and keeps a step counter as state',
    options: z.strictObject({}),
    create: () => ({
      hooks: {
        onAfterStep: () => void out.steps++,
        onTrainEnd: () => void (out.weights = snapshotVariables()),
        stateSnapshot: () => ({ steps: out.steps, scores: new Float32Array([out.steps, 0.5]) }),
        onStateRestore: (state) => {
          out.steps = state.steps as number;
          assert.deepEqual(Array.from(state.scores as Float32Array), [out.steps, 0.5]);
        },
      },
    }),
  });
}

async function run(epochs: number, outDir?: string, resume = false): Promise<{ weights?: Map<string, Float32Array>; steps: number; epochLosses?: number[] }> {
  const out: { weights?: Map<string, Float32Array>; steps: number; epochLosses?: number[] } = { steps: 0 };
  const { registry, recipe } = tinySetup({ epochs, schedule: { warmupEpochs: 1 }, plugins: [{ name: 'capture' }] }, (c) => registerPlugin(captureInto(out), c));
  // Same schedule length whatever `epochs` says: a resumed run must match an uninterrupted one.
  out.epochLosses = (await train({ recipe, backend: 'cpu', container: registry, outDir, resume })).epochLosses;
  return out;
}

test('the same recipe and seed give bit-identical weights', async () => {
  const a = await run(1);
  const b = await run(1);
  assert.ok(a.weights && b.weights && a.weights.size > 0);
  for (const [name, values] of a.weights) assert.deepEqual(b.weights.get(name), values, name);
});

test('resuming from the epoch-1 checkpoint ends with the weights and plugin state of an uninterrupted run', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-resume-'));
  const full = await run(2);
  // Interrupt after epoch 1: keep only the first checkpoint of a complete run, then resume.
  await run(2, dir);
  const store = path.join(dir, 'checkpoints');
  const files = checkpointFiles(store);
  assert.equal(files.length, 2);
  fs.rmSync(path.join(store, files[1]));
  const resumed = await run(2, dir, true);
  assert.equal(resumed.steps, full.steps, 'plugin state continued from the checkpoint');
  for (const [name, values] of full.weights!) assert.deepEqual(resumed.weights!.get(name), values, name);
  const lines = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  // Epoch 2 ran twice (before the checkpoint was removed, and after the resume): logged once.
  assert.deepEqual(lines.filter((l) => l.scope === 'epoch').map((l) => l.epoch), [1, 2]);
  assert.deepEqual(lines.filter((l) => l.scope === 'step').map((l) => l.step), [0, 1, 2, 3]);
});

test('a resume from a mid-epoch checkpoint (checkpoint.everySteps) continues the epoch exactly', async () => {
  const full = await run(2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-midepoch-'));
  const out: { weights?: Map<string, Float32Array>; steps: number } = { steps: 0 };
  const first = tinySetup({ epochs: 2, checkpoint: { everySteps: 1, keepLast: 10 }, plugins: [{ name: 'capture' }] }, (c) => registerPlugin(captureInto(out), c));
  await train({ recipe: first.recipe, backend: 'cpu', container: first.registry, outDir: dir });
  const store = path.join(dir, 'checkpoints');
  // Steps 1, 2 (epoch 1 end), 3 (inside epoch 2), 4 (end): keep up to step 3, mid-epoch.
  assert.deepEqual(checkpointFiles(store), ['step-000000001.ckpt', 'step-000000002.ckpt', 'step-000000003.ckpt', 'step-000000004.ckpt']);
  fs.rmSync(path.join(store, 'step-000000004.ckpt'));
  const resumedOut: { weights?: Map<string, Float32Array>; steps: number } = { steps: 0 };
  const second = tinySetup({ epochs: 2, checkpoint: { everySteps: 1, keepLast: 10 }, plugins: [{ name: 'capture' }] }, (c) => registerPlugin(captureInto(resumedOut), c));
  await train({ recipe: second.recipe, backend: 'cpu', container: second.registry, outDir: dir, resume: true });
  assert.equal(resumedOut.steps, 4);
  for (const [name, values] of full.weights!) assert.deepEqual(resumedOut.weights!.get(name), values, name);
  const lines = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const epochTwo = lines.filter((l) => l.scope === 'epoch' && l.epoch === 2);
  assert.equal(epochTwo.length, 1);
  assert.equal(epochTwo[0].values.loss, full.epochLosses![1], 'the epoch mean covers both halves of the epoch, as uninterrupted');
});

test('a run folder with checkpoints is not overwritten without --resume', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-folder-'));
  await run(1, dir);
  await assert.rejects(run(1, dir), /already holds checkpoints/);
});

test('determinism self-check: the same seed gives the same weight hash, another seed another hash', async () => {
  const { createHash } = await import('node:crypto');
  const hashOf = async (seed: number): Promise<string> => {
    const out: { weights?: Map<string, Float32Array>; steps: number } = { steps: 0 };
    const { registry, recipe } = tinySetup({ seed, epochs: 1, plugins: [{ name: 'capture' }] }, (c) => registerPlugin(captureInto(out), c));
    await train({ recipe, backend: 'cpu', container: registry });
    const hash = createHash('sha256');
    for (const name of [...out.weights!.keys()].sort()) hash.update(name).update(Buffer.from(out.weights!.get(name)!.buffer));
    return hash.digest('hex');
  };
  const a = await hashOf(1);
  assert.equal(await hashOf(1), a);
  assert.notEqual(await hashOf(2), a);
});
