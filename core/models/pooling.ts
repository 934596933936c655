import * as tf from '@tensorflow/tfjs';

/**
 * Max pooling over NHWC input with symmetric padding, PyTorch's `MaxPool2d(size, stride, padding)`:
 * padded positions never win (they act as -inf, not 0), and the output size is
 * floor((in + 2 * padding - size) / stride) + 1. The caller owns the result.
 */
export function maxPool2d(input: tf.Tensor4D, size: number, stride: number, padding: number): tf.Tensor4D {
  return tf.maxPool(input, size, stride, padding);
}

/** Global average pooling: NHWC `[B, H, W, C]` to `[B, C]`. The caller owns the result. */
export function globalAveragePool(input: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(input, [1, 2]);
}
