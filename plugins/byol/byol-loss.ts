import * as tf from '@tensorflow/tfjs';
import { l2Normalize } from '../../core/index';

/**
 * BYOL's per-sample regression loss `||p/|p| - z/|z|||^2 = 2 - 2 cos(p, z)` between the online
 * prediction `p` [B, D] and the target projection `z` [B, D] (already detached by the caller).
 * Returns [B]; the caller owns it.
 */
export function regressionLoss(predictions: tf.Tensor2D, targets: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sub(2, tf.mul(2, tf.sum(tf.mul(l2Normalize(predictions), l2Normalize(targets)), 1))) as tf.Tensor1D);
}

/**
 * BYOL's target moving-average rate after step `step` (0-based) of `totalSteps`:
 * `tau = 1 - (1 - base) * (cos(pi * step / totalSteps) + 1) / 2`, from `base` at the first step up to 1.
 */
export function targetMomentum(base: number, step: number, totalSteps: number): number {
  return 1 - ((1 - base) * (Math.cos((Math.PI * step) / totalSteps) + 1)) / 2;
}
