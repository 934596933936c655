// The framework's contract suite (hook order, no tensor growth, exact resume) on this package's
// plugins, as bcl-ssl runs it on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPluginContract } from 'bcl-ssl';
import { register } from '../src/index';

test('template-simclr meets the bcl-ssl plugin contract', async () => {
  const result = await runPluginContract({ register, method: { name: 'template-simclr', projectionDim: 8 } });
  assert.deepEqual(result.failures, []);
  assert.equal(result.checks.length, 3);
});

test('template-simclr with loss-memory meets the contract (its state survives a resume)', async () => {
  const result = await runPluginContract({ register, method: { name: 'template-simclr', projectionDim: 8 }, plugins: [{ name: 'loss-memory', strength: 1 }] });
  assert.deepEqual(result.failures, []);
});

test('bad options fail before training, with the path of the field', async () => {
  await assert.rejects(
    runPluginContract({ register, method: { name: 'template-simclr', projectionDim: 8 }, plugins: [{ name: 'loss-memory', strength: 2 }] }),
    /recipe\.plugins\[0\]\.strength must be <= 1, but got 2/,
  );
});
