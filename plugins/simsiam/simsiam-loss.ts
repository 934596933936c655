import * as tf from '@tensorflow/tfjs';
import { l2Normalize } from '../../core/index';

/**
 * SimSiam's per-sample loss `D(p, z) = -cos(p, z)` between the prediction `p` [B, D] and the
 * projection `z` [B, D] (the caller detaches `z` with `stopGradient`). Returns [B] in [-1, 1];
 * the caller owns it.
 */
export function negativeCosine(predictions: tf.Tensor2D, targets: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(l2Normalize(predictions), l2Normalize(targets)), 1)) as tf.Tensor1D);
}

/**
 * The identity whose gradient is zero: SimSiam's stop-gradient (tfjs has no `tf.stopGradient`).
 * Returns a new tensor the caller owns.
 */
export const stopGradient: <T extends tf.Tensor>(x: T) => T = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  // A copy, not `x` itself: an op whose output is its own input would loop the gradient tape.
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
}) as <T extends tf.Tensor>(x: T) => T;
