import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { moduleVariables, type Module } from './module';

function fakeModule(name: string, trainable: tf.Variable[], state: tf.Variable[]): Module {
  return { name, trainableVariables: () => trainable, stateVariables: () => state, apply: (x) => x, dispose: () => undefined };
}

test('moduleVariables lists module by module, trainable before state, in order', async () => {
  await tf.setBackend('cpu');
  const v = (name: string) => tf.variable(tf.scalar(0), true, `module-test/${name}`);
  const [a1, a2, as, b1, bs] = ['a1', 'a2', 'as', 'b1', 'bs'].map(v);
  const names = moduleVariables(fakeModule('a', [a1, a2], [as]), fakeModule('b', [b1], [bs])).map((x) => x.name);
  assert.deepEqual(names, ['module-test/a1', 'module-test/a2', 'module-test/as', 'module-test/b1', 'module-test/bs']);
  assert.deepEqual(moduleVariables(), []);
  tf.dispose([a1, a2, as, b1, bs]);
});
