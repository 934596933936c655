import * as tf from '@tensorflow/tfjs';
import { assertUnitDilations } from './assert-unit-dilations';
import { borrowInput, handOutput } from './kernel-tensor-bridge';
import { cropNegativeMargins } from './spatial-margins';

/**
 * `DepthwiseConv2dNativeBackpropInput` for the wasm backend: the input gradient of a depthwise
 * convolution with channel multiplier M (filter [kh, kw, C, M], dy with C*M channels).
 *
 *   dx[b, h, w, c] = sum over i, j, m with h = y*sh + i - top, w = x*sw + j - left of  dy[b, y, x, c*M + m] * W[i, j, c, m]
 *
 * That is the transposed convolution: dy with (sh - 1, sw - 1) zeros inserted between pixels,
 * padded by (kh - 1 - top, kw - 1 - left), convolved "valid" with the spatially flipped filter.
 * Each of the C*M dy channels is its own depthwise channel (filter [kh, kw, C*M, 1]); the M
 * channels that came from one input channel are then summed. The convolution is wasm's own
 * XNNPACK DepthwiseConv2dNative; the zero insertion is a pad of a rank-6 view.
 */
export function depthwiseConv2dNativeBackpropInput(args: {
  inputs: { dy: tf.TensorInfo; filter: tf.TensorInfo };
  backend: unknown;
  attrs: tf.DepthwiseConv2dNativeBackpropInputAttrs;
}): tf.TensorInfo {
  const backend = args.backend as tf.KernelBackend;
  const { strides, dilations, pad, dimRoundingMode, inputShape } = args.attrs;
  assertUnitDilations(tf.DepthwiseConv2dNativeBackpropInput, dilations);
  const result = tf.tidy(() => {
    const dy = borrowInput<tf.Rank.R4>(args.inputs.dy, backend);
    const filter = borrowInput<tf.Rank.R4>(args.inputs.filter, backend);
    const info = tf.backend_util.computeConv2DInfo(
      inputShape, filter.shape, strides, 1, pad, dimRoundingMode, true, 'channelsLast');
    const [batch, height, width, channels] = inputShape;
    const [filterHeight, filterWidth, , multiplier] = filter.shape;
    const { outHeight, outWidth, strideHeight, strideWidth } = info;
    const { top, left } = info.padInfo;
    const dyChannels = channels * multiplier;

    // Zero insertion as a pad of [B, outH, 1, outW, 1, C*M]: each pixel is followed by (s - 1)
    // zeros, including after the last one; the margins below crop or pad around that.
    const upsampled = strideHeight === 1 && strideWidth === 1
      ? dy
      : tf.reshape<tf.Rank.R4>(
          tf.pad(tf.reshape(dy, [batch, outHeight, 1, outWidth, 1, dyChannels]), [
            [0, 0], [0, 0], [0, strideHeight - 1], [0, 0], [0, strideWidth - 1], [0, 0],
          ]),
          [batch, outHeight * strideHeight, outWidth * strideWidth, dyChannels],
        );
    const { cropped, padding } = cropNegativeMargins(upsampled, {
      top: filterHeight - 1 - top,
      bottom: height + top - outHeight * strideHeight,
      left: filterWidth - 1 - left,
      right: width + left - outWidth * strideWidth,
    });
    const flipped = tf.reshape<tf.Rank.R4>(tf.reverse(filter, [0, 1]), [filterHeight, filterWidth, dyChannels, 1]);
    const perDyChannel = tf.depthwiseConv2d(cropped, flipped, 1, padding);
    return multiplier === 1
      ? perDyChannel
      : tf.sum(tf.reshape(perDyChannel, [batch, height, width, channels, multiplier]), 4);
  });
  return handOutput(result, backend);
}

/** Registration record for `DepthwiseConv2dNativeBackpropInput` on `wasm`. */
export const depthwiseConv2dNativeBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInput as unknown as tf.KernelFunc,
};
