import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD, rowsAndChannels, type BatchNormTrainingAttrs } from '../../models/batch-norm-training-op';
import { wasmHeap } from './wasm-heap';

/**
 * The fused BatchNorm training kernels (core/models/batch-norm-training-op.ts) for the wasm
 * backend, as JavaScript loops over the wasm heap (as wasm's own `Slice` works). Two passes over
 * the input each way, where the op composition makes about a dozen full-size tensors (moments,
 * broadcast multiply and add forward; Sum-reduced broadcast gradients backward), which were most of
 * a small-width ResNet step (docs/performance.md). Statistics accumulate in float64.
 */


const batchNormTraining: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, scale, offset } = inputs as { x: tf.TensorInfo; scale: tf.TensorInfo; offset: tf.TensorInfo };
  const { epsilon } = attrs as unknown as BatchNormTrainingAttrs;
  const heap = wasmHeap(backend);
  const [rows, channels] = rowsAndChannels(x.shape);
  // Allocate every output before taking views: allocation can grow the heap and detach them.
  const yInfo = heap.makeOutput(x.shape, 'float32');
  const meanInfo = heap.makeOutput([channels], 'float32');
  const varianceInfo = heap.makeOutput([channels], 'float32');
  const xs = heap.typedArrayFromHeap(x);
  const ys = heap.typedArrayFromHeap(yInfo);
  const gamma = heap.typedArrayFromHeap(scale);
  const beta = heap.typedArrayFromHeap(offset);
  const means = heap.typedArrayFromHeap(meanInfo);
  const variances = heap.typedArrayFromHeap(varianceInfo);

  const sum = new Float64Array(channels);
  const sumSquares = new Float64Array(channels);
  for (let r = 0, base = 0; r < rows; r++, base += channels) {
    for (let c = 0; c < channels; c++) {
      const v = xs[base + c];
      sum[c] += v;
      sumSquares[c] += v * v;
    }
  }
  const factor = new Float64Array(channels);
  const shift = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const mean = sum[c] / rows;
    const variance = Math.max(sumSquares[c] / rows - mean * mean, 0);
    means[c] = mean;
    variances[c] = variance;
    factor[c] = gamma[c] / Math.sqrt(variance + epsilon);
    shift[c] = beta[c] - mean * factor[c];
  }
  for (let r = 0, base = 0; r < rows; r++, base += channels) {
    for (let c = 0; c < channels; c++) ys[base + c] = xs[base + c] * factor[c] + shift[c];
  }
  return [yInfo, meanInfo, varianceInfo];
};

const batchNormTrainingGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x, scale, mean, variance } = inputs as Record<'dy' | 'x' | 'scale' | 'mean' | 'variance', tf.TensorInfo>;
  const { epsilon } = attrs as unknown as BatchNormTrainingAttrs;
  const heap = wasmHeap(backend);
  const [rows, channels] = rowsAndChannels(x.shape);
  const dxInfo = heap.makeOutput(x.shape, 'float32');
  const dScaleInfo = heap.makeOutput([channels], 'float32');
  const dOffsetInfo = heap.makeOutput([channels], 'float32');
  const dys = heap.typedArrayFromHeap(dy);
  const xs = heap.typedArrayFromHeap(x);
  const dxs = heap.typedArrayFromHeap(dxInfo);
  const gamma = heap.typedArrayFromHeap(scale);
  const means = heap.typedArrayFromHeap(mean);
  const variances = heap.typedArrayFromHeap(variance);
  const dScale = heap.typedArrayFromHeap(dScaleInfo);
  const dOffset = heap.typedArrayFromHeap(dOffsetInfo);

  const sumDy = new Float64Array(channels);
  const sumDyX = new Float64Array(channels);
  for (let r = 0, base = 0; r < rows; r++, base += channels) {
    for (let c = 0; c < channels; c++) {
      const g = dys[base + c];
      sumDy[c] += g;
      sumDyX[c] += g * xs[base + c];
    }
  }
  // dx = scale * invStd * (dy - mean(dy) - xHat * mean(dy * xHat)), expanded to k1 * dy + k2 * x + k3
  // per channel so the second pass is one multiply-add chain per element.
  const k1 = new Float64Array(channels);
  const k2 = new Float64Array(channels);
  const k3 = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const invStd = 1 / Math.sqrt(variances[c] + epsilon);
    const sumDyXHat = (sumDyX[c] - means[c] * sumDy[c]) * invStd;
    dScale[c] = sumDyXHat;
    dOffset[c] = sumDy[c];
    k1[c] = gamma[c] * invStd;
    k2[c] = (-k1[c] * invStd * sumDyXHat) / rows;
    k3[c] = (-k1[c] * sumDy[c]) / rows - k2[c] * means[c];
  }
  for (let r = 0, base = 0; r < rows; r++, base += channels) {
    for (let c = 0; c < channels; c++) dxs[base + c] = k1[c] * dys[base + c] + k2[c] * xs[base + c] + k3[c];
  }
  return [dxInfo, dScaleInfo, dOffsetInfo];
};

export const batchNormTrainingConfig: tf.KernelConfig = { kernelName: BATCH_NORM_TRAINING, backendName: 'wasm', kernelFunc: batchNormTraining };
export const batchNormTrainingGradConfig: tf.KernelConfig = { kernelName: BATCH_NORM_TRAINING_GRAD, backendName: 'wasm', kernelFunc: batchNormTrainingGrad };
