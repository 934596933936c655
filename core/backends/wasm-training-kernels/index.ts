import * as tf from '@tensorflow/tfjs';
import { batchNormTrainingConfig, batchNormTrainingGradConfig } from './batch-norm-training';
import { conv2DBackpropFilterConfig } from './conv-2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv-2d-backprop-input';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-conv-2d-native-backprop-filter';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-conv-2d-native-backprop-input';
import { sharedCastConfig, sharedIdentityConfig } from './shared-identity';
import { swapKernels } from './swap-kernels';

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
 * Kernels wasm 4.22 does ship, replaced because these are faster (docs/performance.md):
 * `Conv2DBackpropInput` as one XNNPACK forward convolution instead of wasm's direct loop; and the
 * fused BatchNorm training pair, which wasm lacks, so without them BatchNorm runs as tfjs ops; and
 * `Identity` / same-dtype `Cast` that share memory instead of copying it.
 */
export const wasmFasterKernelConfigs: readonly tf.KernelConfig[] = [
  conv2DBackpropInputConfig,
  batchNormTrainingConfig,
  batchNormTrainingGradConfig,
  sharedIdentityConfig,
  sharedCastConfig,
];

/** Options of `registerWasmTrainingKernels`. */
export interface WasmTrainingKernelOptions {
  /**
   * Replace the wasm kernels in `wasmFasterKernelConfigs` by this module's. Default: true unless
   * the environment variable `BCL_FAST_WASM_KERNELS` is `0`.
   */
  readonly faster?: boolean;
}

/**
 * Registers the missing training kernels for the `wasm` backend, and (by default) the faster
 * replacements. Idempotent: a missing kernel already registered for `wasm` (by an earlier call,
 * or by a tfjs release that ships it) is left alone; replacements swap in and out by
 * `useFasterWasmKernels`.
 *
 * This module deliberately does not import `@tensorflow/tfjs-backend-wasm`: loading that package
 * makes wasm the highest-priority backend, and synchronous ops before `tf.setBackend` then throw.
 * Load it first (as `selectBackend` does) so the check sees wasm's own kernels; if it is loaded
 * later, any of these kernels it ships replaces ours (tfjs warns), which is also fine.
 */
export function registerWasmTrainingKernels(options: WasmTrainingKernelOptions = {}): void {
  for (const config of wasmTrainingKernelConfigs) {
    if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(config);
  }
  useFasterWasmKernels(options.faster ?? process.env.BCL_FAST_WASM_KERNELS !== '0');
}

/**
 * Swaps the faster replacements in (`true`) or puts wasm's own kernels back (`false`). Idempotent;
 * safe before or after the wasm backend has initialised. Returns the kernel names now replaced.
 */
export function useFasterWasmKernels(enabled: boolean): string[] {
  return swapKernels('wasm', wasmFasterKernelConfigs, enabled);
}
