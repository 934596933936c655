import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { definePlugin, registerPlugin, train, z, type BackendName } from '../core/index';
import { tinySetup } from './support/tiny-run';

for (const backend of ['cpu', 'wasm'] as BackendName[]) {
  test(`tf.memory().numTensors is the same after step 1 and after step N (${backend})`, async () => {
    const counts: number[] = [];
    const counter = definePlugin({
      name: 'tensor-counter',
      kind: 'addon',
      description: 'counts live tensors after each step',
      options: z.strictObject({}),
      create: () => ({ hooks: { onAfterStep: () => void counts.push(tf.memory().numTensors) } }),
    });
    const { registry, recipe } = tinySetup({ epochs: 3, plugins: [{ name: 'tensor-counter' }] }, (c) => registerPlugin(counter, c));
    await train({ recipe, backend, container: registry });
    assert.equal(counts.length, 6);
    assert.ok(counts.every((n) => n === counts[0]), `live tensors per step: ${counts.join(', ')}`);
    assert.equal(tf.memory().numTensors, 0);
  });
}
