import * as tf from '@tensorflow/tfjs';
import { swapKernels, withLazySetup } from '../wasm-training-kernels/swap-kernels';
import { loadOnednnAddon } from './load-onednn-addon';
import { nativeBatchNormKernelConfigs } from './native-batch-norm-kernels';
import { onednnConvKernelConfigs } from './onednn-conv-kernels';
import { onednnMatMulKernelConfig } from './onednn-matmul-kernel';

/** What `useNativeKernels` did, with a one-line description for the backend banner. */
export interface NativeKernelStatus {
  /** Kernel names now computed by oneDNN (empty when disabled or unavailable). */
  readonly kernels: string[];
  /** e.g. `convolutions and MatMul in oneDNN 2.6.3 (avx2, 2 threads), BatchNorm in C++` or `native kernels unavailable: ...`. */
  readonly description: string;
}

let configs: tf.KernelConfig[] | undefined;
/** The kernels the native ones displaced, for the cases oneDNN does not cover. */
const fallbacks = new Map<string, tf.KernelConfig>();

/**
 * Puts the oneDNN convolution kernels (core/backends/native) over the wasm backend's (`true`), or
 * takes them out again, restoring the kernels they displaced (`false`). Idempotent. Register the
 * wasm training kernels first, so the displaced kernels (the fallbacks) are complete.
 *
 * Default `enabled`: true unless `BCL_NATIVE_KERNELS=0`. Threads: `BCL_THREADS` if set, else
 * OpenMP's `OMP_NUM_THREADS`, else every core. When the addon is not built (no libdnnl or compiler
 * at install time) this changes nothing and says why in `description`.
 */
export function useNativeKernels(enabled: boolean = process.env.BCL_NATIVE_KERNELS !== '0'): NativeKernelStatus {
  const load = loadOnednnAddon();
  if ('reason' in load) {
    return { kernels: [], description: enabled ? `native kernels unavailable: ${load.reason}` : 'native kernels off' };
  }
  if (configs === undefined) {
    const threads = Number(process.env.BCL_THREADS);
    if (Number.isInteger(threads) && threads >= 1) load.addon.setThreads(threads);
    const fallback = (name: string) => fallbacks.get(name);
    configs = [...onednnConvKernelConfigs(load.addon, fallback), ...nativeBatchNormKernelConfigs(load.addon), onednnMatMulKernelConfig(load.addon, fallback)];
  }
  if (enabled) {
    for (const config of configs) {
      const current = tf.getKernel(config.kernelName, 'wasm');
      // Fallbacks are called directly, so they set themselves up (wasm binds its C++ entry points then).
      if (current !== undefined && current.kernelFunc !== config.kernelFunc) fallbacks.set(config.kernelName, withLazySetup(current));
    }
  }
  const kernels = swapKernels('wasm', configs, enabled);
  if (!enabled) return { kernels, description: 'native kernels off (BCL_NATIVE_KERNELS=0)' };
  const { dnnl, isa, threads } = load.addon.info();
  return { kernels, description: `convolutions and MatMul in oneDNN ${dnnl} (${isa}, ${threads} thread${threads === 1 ? '' : 's'}), BatchNorm in C++` };
}

/**
 * Sets the OpenMP threads oneDNN uses (overrides BCL_THREADS / OMP_NUM_THREADS for this process).
 * Returns false when the addon is not built.
 */
export function setNativeThreads(threads: number): boolean {
  const load = loadOnednnAddon();
  if ('reason' in load) return false;
  load.addon.setThreads(threads);
  return true;
}
