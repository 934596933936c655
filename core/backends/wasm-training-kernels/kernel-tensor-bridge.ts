import * as tf from '@tensorflow/tfjs';

/**
 * Bridges between a kernel's `TensorInfo` world and tf ops, so a composite kernel can be written
 * with ordinary ops inside `tf.tidy` instead of raw backend calls.
 *
 * Reference counting is the whole point: `engine().makeTensorFromTensorInfo` tracks a new tensor
 * but does NOT take a backend reference, so disposing such a wrapper would free the caller's data.
 * `borrowInput` takes that reference; `handOutput` gives a result's reference to the engine.
 */

/**
 * Wraps a kernel input as a tensor that holds its own backend reference. The wrapper is tracked by
 * the active `tf.tidy` scope (or must be disposed by the caller); disposing it leaves the kernel
 * caller's data intact.
 */
export function borrowInput<R extends tf.Rank>(info: tf.TensorInfo, backend: tf.KernelBackend): tf.Tensor<R> {
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend) as tf.Tensor<R>;
}

/**
 * Turns a result tensor into a kernel output: takes a backend reference for the engine's output
 * tensor, then disposes `result` itself. The engine owns the returned `TensorInfo` (it wraps it
 * in the op's output tensor); `result` must not be used afterwards.
 */
export function handOutput(result: tf.Tensor, backend: tf.KernelBackend): tf.TensorInfo {
  backend.incRef(result.dataId);
  const info: tf.TensorInfo = { dataId: result.dataId, shape: result.shape.slice(), dtype: result.dtype };
  result.dispose();
  return info;
}
