import * as tf from '@tensorflow/tfjs';
import { assertUnitDilations } from './assert-unit-dilations';
import { borrowInput, handOutput } from './kernel-tensor-bridge';
import { cropNegativeMargins } from './spatial-margins';

/**
 * `DepthwiseConv2dNativeBackpropFilter` for the wasm backend: the filter gradient of a depthwise
 * convolution with channel multiplier M (filter [kh, kw, C, M], dy with C*M channels).
 *
 *   dW[i, j, c, m] = sum over b, y, x of  x[b, y*sh + i - top, x*sw + j - left, c] * dy[b, y, x, c*M + m]
 *
 * Folding the batch into the channels turns this into one forward depthwise convolution: the
 * input x as [1, H, W, B*C] (channel b*C + c) convolved with dy as a filter [outH, outW, B*C, M]
 * at stride 1 and dilation (sh, sw) gives [1, kh, kw, B*C*M]; summing over b leaves dW. The
 * heavy part runs in wasm's XNNPACK DepthwiseConv2dNative; only the batch sum is a separate op.
 */
export function depthwiseConv2dNativeBackpropFilter(args: {
  inputs: { x: tf.TensorInfo; dy: tf.TensorInfo };
  backend: unknown;
  attrs: tf.DepthwiseConv2dNativeBackpropFilterAttrs;
}): tf.TensorInfo {
  const backend = args.backend as tf.KernelBackend;
  const { strides, dilations, pad, dimRoundingMode, filterShape } = args.attrs;
  assertUnitDilations(tf.DepthwiseConv2dNativeBackpropFilter, dilations);
  const result = tf.tidy(() => {
    const x = borrowInput<tf.Rank.R4>(args.inputs.x, backend);
    const dy = borrowInput<tf.Rank.R4>(args.inputs.dy, backend);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape, filterShape, strides, 1, pad, dimRoundingMode, true, 'channelsLast');
    const [batch, height, width, channels] = x.shape;
    const [filterHeight, filterWidth, , multiplier] = filterShape;
    const { outHeight, outWidth, strideHeight, strideWidth } = info;
    const { top, left } = info.padInfo;

    const folded = tf.reshape<tf.Rank.R4>(tf.transpose(x, [1, 2, 0, 3]), [1, height, width, batch * channels]);
    const { cropped, padding } = cropNegativeMargins(folded, {
      top,
      bottom: filterHeight - 1 + (outHeight - 1) * strideHeight + 1 - height - top,
      left,
      right: filterWidth - 1 + (outWidth - 1) * strideWidth + 1 - width - left,
    });
    const dyAsFilter = tf.reshape<tf.Rank.R4>(tf.transpose(dy, [1, 2, 0, 3]), [outHeight, outWidth, batch * channels, multiplier]);
    const perSample = tf.depthwiseConv2d(cropped, dyAsFilter, 1, padding, 'NHWC', [strideHeight, strideWidth]);
    const grad = tf.sum(tf.reshape(perSample, [filterHeight, filterWidth, batch, channels * multiplier]), 2);
    return tf.reshape(grad, filterShape);
  });
  return handOutput(result, backend);
}

/** Registration record for `DepthwiseConv2dNativeBackpropFilter` on `wasm`. */
export const depthwiseConv2dNativeBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilter as unknown as tf.KernelFunc,
};
