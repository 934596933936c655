import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HookDriver } from './hook-driver';
import type { AugmentationPolicy, BatchContext } from './contexts';

const context = {} as BatchContext;

test('handlers run in registration order, pre entries first and post entries last', async () => {
  const calls: string[] = [];
  const driver = new HookDriver([
    { plugin: 'a', hooks: { onEpochStart: () => void calls.push('a') } },
    { plugin: 'b', hooks: { onEpochStart: { order: 'post', handler: () => void calls.push('b') } } },
    { plugin: 'c', hooks: { onEpochStart: async () => void calls.push('c') } },
    { plugin: 'd', hooks: { onEpochStart: { order: 'pre', handler: () => void calls.push('d') } } },
  ]);
  await driver.sequential('onEpochStart', { run: {} as never, epoch: 1 });
  assert.deepEqual(calls, ['d', 'a', 'c', 'b']);
});

test('waterfall threads the value and rejects a handler that returns nothing', () => {
  const probability = (p: number): AugmentationPolicy => ({ indices: new Int32Array(1), samples: [{ append: [{ op: 'RandAugment', probability: p }] }] });
  const driver = new HookDriver([
    { plugin: 'first', hooks: { augmentationPolicy: () => probability(0.25) } },
    { plugin: 'second', hooks: { augmentationPolicy: (policy) => probability((policy.samples[0]!.append![0].probability as number) * 2) } },
  ]);
  const out = driver.waterfall('augmentationPolicy', { indices: new Int32Array(1), samples: [] }, context);
  assert.equal(out.samples[0]!.append![0].probability, 0.5);
  const broken = new HookDriver([{ plugin: 'broken', hooks: { augmentationPolicy: (() => undefined) as never } }]);
  assert.throws(() => broken.waterfall('augmentationPolicy', { indices: new Int32Array(0), samples: [] }, context), /\[plugin broken:augmentationPolicy\] waterfall hook returned undefined/);
});

test('a plugin throw is wrapped with plugin and hook names and keeps the cause', async () => {
  const cause = new Error('scores must be finite');
  const driver = new HookDriver([{ plugin: 'bcl', hooks: { onEpochEnd: () => { throw cause; } } }]);
  await assert.rejects(driver.sequential('onEpochEnd', { run: {} as never, epoch: 2 }), (e: Error & { code?: string; plugin?: string; hook?: string }) => {
    assert.equal(e.message, '[plugin bcl:onEpochEnd] scores must be finite');
    assert.equal(e.code, 'PLUGIN_FAILED');
    assert.equal(e.plugin, 'bcl');
    assert.equal(e.hook, 'onEpochEnd');
    assert.equal(e.cause, cause);
    return true;
  });
});

test('collect gathers states by plugin name and distribute hands each its own', () => {
  const restored: unknown[] = [];
  const driver = new HookDriver([
    { plugin: 'x', hooks: { stateSnapshot: () => ({ n: 1 }), onStateRestore: (s) => void restored.push(['x', s]) } },
    { plugin: 'y', hooks: { stateSnapshot: () => ({ n: 2 }), onStateRestore: (s) => void restored.push(['y', s]) } },
  ]);
  const states = driver.collect('stateSnapshot');
  assert.deepEqual(states, { x: { n: 1 }, y: { n: 2 } });
  driver.distribute('onStateRestore', { y: { n: 5 } });
  assert.deepEqual(restored, [['y', { n: 5 }]]);
});
