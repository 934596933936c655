import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig } from './conv-2d-backprop-filter';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-conv-2d-native-backprop-filter';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-conv-2d-native-backprop-input';

/**
 * The gradient kernels a conv-net training step needs that `@tensorflow/tfjs-backend-wasm` 4.22
 * does not ship (see docs/wasm-kernels.md for how the list was found).
 */
export const wasmTrainingKernelConfigs: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
];

/**
 * Registers the missing training kernels for the `wasm` backend. Idempotent: a kernel already
 * registered for `wasm` (by an earlier call, or by a tfjs release that ships it) is left alone.
 *
 * This module deliberately does not import `@tensorflow/tfjs-backend-wasm`: loading that package
 * makes wasm the highest-priority backend, and synchronous ops before `tf.setBackend` then throw.
 * Load it first (as `selectBackend` does) so the check sees wasm's own kernels; if it is loaded
 * later, any of these kernels it ships replaces ours (tfjs warns), which is also fine.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of wasmTrainingKernelConfigs) {
    if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(config);
  }
}
