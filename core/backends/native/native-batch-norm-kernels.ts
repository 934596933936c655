import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD, rowsAndChannels, type BatchNormTrainingAttrs } from '../../models/batch-norm-training-op';
import { wasmHeap } from '../wasm-training-kernels/wasm-heap';
import type { OnednnAddon } from './load-onednn-addon';

/**
 * The fused BatchNorm training kernels (core/models/batch-norm-training-op.ts) for the wasm
 * backend, computed in the native addon on the wasm heap (no copies): plain C++ loops with float64
 * sums over OpenMP threads, not oneDNN's batch_normalization, whose float32 sums put a SimCLR
 * step's gradients 3e-3 off (src/onednn-addon.cc explains). Any input is a `rows x channels`
 * matrix (channels-last), so feature maps and `[B, C]` vectors are served alike.
 */
export function nativeBatchNormKernelConfigs(addon: OnednnAddon): tf.KernelConfig[] {
  const forward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, scale, offset } = inputs as Record<'x' | 'scale' | 'offset', tf.TensorInfo>;
    const { epsilon } = attrs as unknown as BatchNormTrainingAttrs;
    const heap = wasmHeap(backend);
    const [rows, channels] = rowsAndChannels(x.shape);
    // Allocate first: allocation can grow the heap, which replaces its ArrayBuffer.
    const y = heap.makeOutput(x.shape, 'float32');
    const mean = heap.makeOutput([channels], 'float32');
    const variance = heap.makeOutput([channels], 'float32');
    const offsets = [x, scale, offset, y, mean, variance].map((t) => heap.getMemoryOffset(t.dataId));
    addon.batchNorm(0, heap.wasm.HEAPU8.buffer, offsets, [rows, channels], epsilon);
    return [y, mean, variance];
  };
  const backward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, x, scale, mean, variance } = inputs as Record<'dy' | 'x' | 'scale' | 'mean' | 'variance', tf.TensorInfo>;
    const { epsilon } = attrs as unknown as BatchNormTrainingAttrs;
    const heap = wasmHeap(backend);
    const [rows, channels] = rowsAndChannels(x.shape);
    const dx = heap.makeOutput(x.shape, 'float32');
    const dScale = heap.makeOutput([channels], 'float32');
    const dOffset = heap.makeOutput([channels], 'float32');
    const offsets = [x, mean, variance, dy, scale, dx, dScale, dOffset].map((t) => heap.getMemoryOffset(t.dataId));
    addon.batchNorm(1, heap.wasm.HEAPU8.buffer, offsets, [rows, channels], epsilon);
    return [dx, dScale, dOffset];
  };
  return [
    { kernelName: BATCH_NORM_TRAINING, backendName: 'wasm', kernelFunc: forward },
    { kernelName: BATCH_NORM_TRAINING_GRAD, backendName: 'wasm', kernelFunc: backward },
  ];
}
