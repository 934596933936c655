import * as tf from '@tensorflow/tfjs';
import { borrowInput, handOutput } from './kernel-tensor-bridge';
import { cropNegativeMargins } from './spatial-margins';

/**
 * `Conv2DBackpropFilter` for the wasm backend: the filter gradient of a 2-D convolution.
 *
 *   dW[i, j, ci, co] = sum over b, y, x of  x[b, y*sh + i - top, x*sw + j - left, ci] * dy[b, y, x, co]
 *
 * Read with the batch `b` as the contracted "channel" axis and `ci` as the "batch" axis, this is
 * itself a forward convolution: x^T ([ci, H, W, B]) convolved with dy^T ([outH, outW, B, co]) at
 * stride 1 and dilation (sh, sw), giving [ci, kh, kw, co]. That runs on wasm's XNNPACK Conv2D
 * instead of a per-pixel loop. 1x1 filters without padding skip the convolution: the gradient is
 * one matrix product of the input's sampled pixels and dy, each flattened to [pixels, channels].
 */
export function conv2DBackpropFilter(args: {
  inputs: { x: tf.TensorInfo; dy: tf.TensorInfo };
  backend: unknown;
  attrs: tf.Conv2DBackpropFilterAttrs;
}): tf.TensorInfo {
  const backend = args.backend as tf.KernelBackend;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs;
  const result = tf.tidy(() => {
    let x = borrowInput<tf.Rank.R4>(args.inputs.x, backend);
    let dy = borrowInput<tf.Rank.R4>(args.inputs.dy, backend);
    if (dataFormat === 'NCHW') {
      // The formulation below is written for channels-last; the transposes are cheap next to it.
      x = tf.transpose(x, [0, 2, 3, 1]);
      dy = tf.transpose(dy, [0, 2, 3, 1]);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const [batch, height, width, inChannels] = x.shape;
    const { filterHeight, filterWidth, outHeight, outWidth, outChannels, strideHeight, strideWidth } = info;
    const { top, left } = info.padInfo;

    const rowsRead = (outHeight - 1) * strideHeight + 1;
    const colsRead = (outWidth - 1) * strideWidth + 1;
    if (filterHeight === 1 && filterWidth === 1 && top === 0 && left === 0 && rowsRead <= height && colsRead <= width) {
      // A 1x1 pool with the conv's stride picks exactly the pixels the filter saw, on XNNPACK;
      // tf.stridedSlice does the same but is several times slower on wasm.
      const sampled = strideHeight === 1 && strideWidth === 1 ? x : tf.avgPool(x, 1, [strideHeight, strideWidth], 'valid');
      const pixels = batch * outHeight * outWidth;
      const xFlat = tf.reshape(sampled, [pixels, inChannels]);
      const dyFlat = tf.reshape(dy, [pixels, outChannels]);
      // wasm's BatchMatMul is ~10x slower with transposeA than without, so transpose the narrower
      // operand explicitly and keep the product plain.
      const grad = inChannels <= outChannels
        ? tf.matMul(tf.transpose(xFlat), dyFlat)
        : tf.transpose(tf.matMul(tf.transpose(dyFlat), xFlat));
      return tf.reshape(grad, [1, 1, inChannels, outChannels]);
    }

    // The swapped convolution reads (kh - 1) + (outH - 1) * sh + 1 padded rows: pad the rest of
    // the bottom, or crop rows that the forward stride never reached (negative margin).
    const { cropped, padding } = cropNegativeMargins(tf.transpose(x, [3, 1, 2, 0]), {
      top,
      bottom: filterHeight - 1 + rowsRead - height - top,
      left,
      right: filterWidth - 1 + colsRead - width - left,
    });
    const dyAsFilter = tf.transpose(dy, [1, 2, 0, 3]);
    const grad = tf.conv2d(cropped, dyAsFilter, 1, padding, 'NHWC', [strideHeight, strideWidth]);
    return tf.transpose(grad, [1, 2, 0, 3]);
  });
  return handOutput(result, backend);
}

/** Registration record for `Conv2DBackpropFilter` on `wasm`. */
export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
