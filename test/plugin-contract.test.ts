import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { definePlugin, runPluginContract, z, type PluginRegistrar } from '../core/index';
import { registerBuiltinPlugins } from '../plugins/index';

test('the exported contract suite passes a shipped method with a shipped add-on', async () => {
  const result = await runPluginContract({ register: () => undefined, registerAlso: registerBuiltinPlugins, method: { name: 'simclr', projectionDim: 8 }, plugins: [{ name: 'focal' }] });
  assert.deepEqual(result.checks.map((c) => [c.name, c.passed]), [['hook order', true], ['no tensor growth', true], ['exact resume', true]]);
  assert.deepEqual(result.failures, []);
});

test('it catches an add-on that leaks a tensor per step', async () => {
  const leaky = (bcl: PluginRegistrar) =>
    bcl.plugin(definePlugin({ name: 'leaky', kind: 'addon', description: 'keeps a tensor per step', options: z.strictObject({}), create: () => ({ hooks: { onAfterStep: () => void tf.scalar(1) } }) }));
  const before = tf.memory().numTensors;
  const result = await runPluginContract({ register: leaky, registerAlso: registerBuiltinPlugins, method: { name: 'simclr', projectionDim: 8 }, plugins: [{ name: 'leaky' }] });
  assert.deepEqual(result.failures.filter((f) => f.startsWith('no tensor growth')).length, 1, result.failures.join('\n'));
  assert.match(result.failures[0], /live tensors after each step: (\d+), (\d+), (\d+), (\d+); left after the run: 4/);
  assert.ok(tf.memory().numTensors - before >= 4);
});

test('it catches an add-on whose state is not checkpointed, so a resume trains differently', async () => {
  const forgetful = (bcl: PluginRegistrar) =>
    bcl.plugin(
      definePlugin({
        name: 'forgetful',
        kind: 'addon',
        description: 'scales the loss by a step counter it does not save',
        options: z.strictObject({}),
        create: () => {
          let steps = 0;
          return { hooks: { transformLoss: (loss) => tf.tidy(() => tf.mul(loss, 1 + steps++)) } };
        },
      }),
    );
  const result = await runPluginContract({ register: forgetful, registerAlso: registerBuiltinPlugins, method: { name: 'simclr', projectionDim: 8 }, plugins: [{ name: 'forgetful' }] });
  assert.deepEqual(result.checks.map((c) => [c.name, c.passed]), [['hook order', true], ['no tensor growth', true], ['exact resume', false]]);
  assert.match(result.failures[0], /^exact resume: variables that differ after resuming from epoch 1: simclr\//);
});
