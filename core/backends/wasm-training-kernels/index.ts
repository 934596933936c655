import * as tf from '@tensorflow/tfjs';
// Load the wasm backend's own kernels first, so "lacks the kernel" below is decided against them.
import '@tensorflow/tfjs-backend-wasm';
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
 * Registers the missing training kernels for the `wasm` backend. Idempotent: a kernel that is
 * already registered for `wasm` (by an earlier call, or by a future tfjs release that ships it)
 * is left alone. Safe to call before or after `tf.setBackend('wasm')`.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of wasmTrainingKernelConfigs) {
    if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(config);
  }
}
