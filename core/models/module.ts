import type * as tf from '@tensorflow/tfjs';

/**
 * A pending assignment to a state variable (e.g. a BatchNorm running mean), produced during a
 * forward pass and applied by whoever runs the step once gradients are taken. Deferring the
 * assignment keeps forward passes free of side effects, so they can run inside gradient tapes.
 * `value` is owned by the collector: it is kept out of any `tf.tidy` and must be disposed after use.
 */
export interface StateUpdate {
  readonly variable: tf.Variable;
  readonly value: tf.Tensor;
}

/** Per-call options of a forward pass. */
export interface ForwardContext {
  /** Training mode: BatchNorm uses batch statistics and records running-stat updates. */
  readonly training: boolean;
  /** Receives the state updates of this pass when training; omitted means "do not update state". */
  readonly stateUpdates?: StateUpdate[];
}

/**
 * A network piece with explicit variables: trainable weights and non-trainable state (BatchNorm
 * running statistics). Variables are named `<owner>/<path>` (e.g. `simclr/backbone/layer1.0.conv1/kernel`)
 * so checkpoints are readable and stable. Activations are NHWC float32.
 */
export interface Module {
  readonly name: string;
  /** Trainable variables in a stable order. */
  trainableVariables(): tf.Variable[];
  /** Non-trainable state variables (running statistics) in a stable order. */
  stateVariables(): tf.Variable[];
  /** Forward pass; the caller owns the returned tensor. Intermediates are tidied. */
  apply(input: tf.Tensor, context: ForwardContext): tf.Tensor;
  /** Disposes every variable this module created. Idempotent. */
  dispose(): void;
}

/**
 * Every variable of `modules`, module by module, each module's trainable variables before its
 * state: the order in which a momentum encoder pairs its variables with its online twin's.
 */
export function moduleVariables(...modules: readonly Module[]): tf.Variable[] {
  return modules.flatMap((m) => [...m.trainableVariables(), ...m.stateVariables()]);
}

/** Applies and disposes collected state updates. */
export function applyStateUpdates(updates: StateUpdate[]): void {
  for (const { variable, value } of updates) {
    variable.assign(value);
    value.dispose();
  }
  updates.length = 0;
}
