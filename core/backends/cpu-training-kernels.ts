import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig } from './wasm-training-kernels/conv-2d-backprop-filter';

let registered = false;

/**
 * Replaces the `cpu` backend's `Conv2DBackpropFilter` (a per-pixel JavaScript loop: ~60x slower
 * than the forward convolution) with the formulation written for wasm — the filter gradient as one
 * forward convolution with batch and channels swapped — which runs on cpu's faster forward kernel.
 * Results agree to float32 rounding (checked in cpu-training-kernels.test.ts). Idempotent.
 */
export function registerCpuTrainingKernels(): void {
  if (registered) return;
  registered = true;
  if (tf.getKernel(conv2DBackpropFilterConfig.kernelName, 'cpu') !== undefined) {
    tf.unregisterKernel(conv2DBackpropFilterConfig.kernelName, 'cpu');
  }
  tf.registerKernel({ ...conv2DBackpropFilterConfig, backendName: 'cpu' });
}
