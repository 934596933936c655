import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { encodeNpyIndices } from '../data/datasets/npy-writer';
import { isBclError } from '../errors';
import { EventBus } from '../events/event-bus';
import { initialiseFrom } from './init-from';
import { train } from './train';
import { tinySetup } from '../../test/support/tiny-run';

test('recipe.initFrom copies every variable with a twin from a run, keeps new ones fresh, and refuses other shapes or no match', { timeout: 60_000 }, async () => {
  await tf.setBackend('cpu');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-init-'));
  try {
    const { registry, recipe } = tinySetup();
    const source = path.join(dir, 'source');
    await train({ recipe, outDir: source, backend: 'cpu', container: registry });
    const kernel = tf.variable(tf.zeros([3, 3, 3, 2]), true, 'simclr/backbone/conv1/kernel');
    const extra = tf.variable(tf.fill([2], 7), true, 'dnc/head0/fc1/bias');
    const summary = initialiseFrom(source, [kernel, extra]);
    assert.equal(summary.copied, 1);
    assert.deepEqual(summary.fresh, ['dnc/head0/fc1/bias']);
    assert.ok((await kernel.data()).some((v) => v !== 0), 'the kernel took its trained value');
    assert.deepEqual([...(await extra.data())], [7, 7]);
    const other = tf.variable(tf.zeros([1, 1, 3, 2]), true, 'simclr/backbone/conv1/kernel2');
    assert.throws(() => initialiseFrom(source, [other]), (e: unknown) => isBclError(e) && e.code === 'RECIPE_INVALID' && /has none of this run's variables/.test(e.message));
    tf.dispose([kernel, extra, other]);
    const narrow = tf.variable(tf.zeros([3, 3, 3, 4]), true, 'simclr/backbone/conv1/kernel');
    assert.throws(() => initialiseFrom(source, [narrow]), /has \[3, 3, 3, 4\]/);
    narrow.dispose();
    assert.throws(() => initialiseFrom(path.join(dir, 'nowhere'), []), /initFrom: .*nowhere does not exist/);

    // End to end: a run with initFrom and a subset file trains on 4 of the 8 samples from the source's weights.
    const subset = path.join(dir, 'half.npy');
    fs.writeFileSync(subset, encodeNpyIndices(Int32Array.from([6, 1, 4, 3])));
    const logs: string[] = [];
    const events = new EventBus();
    events.on('log', (e) => logs.push(e.message));
    const continued = await train({ recipe: { ...recipe, initFrom: source, data: { ...recipe.data, subsetFile: subset } }, outDir: path.join(dir, 'continued'), backend: 'cpu', container: registry, events });
    assert.equal(continued.steps, 2, 'two epochs of one batch of 4');
    assert.ok(logs.some((l) => /^dataset: .*\(half\.npy\), 4 samples$/.test(l)), logs.join('\n'));
    assert.ok(logs.some((l) => /^init: \d+ variables from .*source/.test(l)), logs.join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
