import * as tf from '@tensorflow/tfjs';
import type { Module } from './module';

/** A variable-free ReLU module, for `createSequential` chains. `apply` returns a tensor the caller owns. */
export function createRelu(name: string): Module {
  return {
    name,
    trainableVariables: () => [],
    stateVariables: () => [],
    apply: (input) => tf.relu(input),
    dispose: () => undefined,
  };
}
