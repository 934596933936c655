import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as tf from '@tensorflow/tfjs';
import type { SslMethod } from '../plugin/ssl-method';
import { findBackbonePrefix } from './find-backbone-prefix';

/** A method with only variable names (findBackbonePrefix reads nothing else). */
function methodWith(trainable: string[], state: string[] = []): SslMethod {
  const vars = (names: string[]): tf.Variable[] => names.map((name) => ({ name }) as tf.Variable);
  return { views: 2, trainableVariables: () => vars(trainable), stateVariables: () => vars(state), loss: () => assert.fail(), encode: () => assert.fail(), dispose: () => undefined };
}

test('findBackbonePrefix picks the only trained ResNet, not a momentum copy or a block conv', () => {
  const moco = methodWith(['moco/query/backbone/conv1/kernel', 'moco/query/backbone/layer1.0.conv1/kernel', 'moco/query/head/fc1/kernel'], ['moco/key/backbone/conv1/kernel', 'moco/key/backbone/bn1/running_mean']);
  assert.equal(findBackbonePrefix(moco), 'moco/query/backbone');
  assert.equal(findBackbonePrefix(moco, 'moco/key/backbone'), 'moco/key/backbone');
  assert.throws(() => findBackbonePrefix(moco, 'moco/backbone'), /--backbone moco\/backbone: the method has no ResNet with that prefix; it has "moco\/query\/backbone", "moco\/key\/backbone"/);
});

test('findBackbonePrefix asks for --backbone when two ResNets are trained, and names a method without one', () => {
  const two = methodWith(['a/backbone/conv1/kernel', 'b/backbone/conv1/kernel']);
  assert.throws(() => findBackbonePrefix(two), (e: Error & { code?: string }) => e.code === 'USAGE' && /trains 2 ResNets: "a\/backbone", "b\/backbone"\. Hint: Choose one with --backbone, e\.g\. --backbone a\/backbone/.test(e.message));
  assert.throws(() => findBackbonePrefix(methodWith(['mlp/fc1/kernel'])), /no trained ResNet backbone/);
});
