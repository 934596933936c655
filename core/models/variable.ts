import * as tf from '@tensorflow/tfjs';

/**
 * Creates a float32 variable from host values. The variable is owned by the module that creates
 * it and disposed by that module's `dispose()`. Names must be unique among live variables
 * (tfjs refuses a duplicate), so modules name theirs `<owner>/<path>/<leaf>`.
 */
export function createVariable(
  values: Float32Array,
  shape: readonly number[],
  trainable: boolean,
  name: string,
): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(values, shape.slice(), 'float32'), trainable, name));
}

/** Creates a float32 variable filled with `value` (BatchNorm gammas, betas, running statistics). Same ownership as `createVariable`. */
export function createFilledVariable(
  value: number,
  shape: readonly number[],
  trainable: boolean,
  name: string,
): tf.Variable {
  return tf.tidy(() => tf.variable(tf.fill(shape.slice(), value, 'float32'), trainable, name));
}

/**
 * Disposes variables once, last created first (the house rule for teardown). Returns a function
 * for a module's `dispose()`; later calls do nothing.
 */
export function disposerFor(variables: readonly tf.Variable[]): () => void {
  let disposed = false;
  return () => {
    if (disposed) return;
    disposed = true;
    for (let i = variables.length - 1; i >= 0; i--) variables[i].dispose();
  };
}
