import type * as tf from '@tensorflow/tfjs';

/**
 * Updates variables from gradients. Buffers are tf.Variables created up front (so checkpoints
 * always hold the same set) and named `optimizer/<kind>/<variable name>`.
 */
export interface Optimizer {
  /** One update with learning rate `lr`; `grads` are borrowed and keyed by variable name. */
  apply(grads: tf.NamedTensorMap, lr: number): void;
  /** Buffers that go into checkpoints. */
  stateVariables(): tf.Variable[];
  /** Disposes the buffers. Idempotent. */
  dispose(): void;
}
