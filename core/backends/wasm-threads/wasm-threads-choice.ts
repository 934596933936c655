import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { BclError } from '../../errors';
import { loadOnednnAddon } from '../native/load-onednn-addon';
import { wasmBackendInitialised } from './threaded-wasm';

/**
 * XNNPACK threads for the wasm backend: `BCL_WASM_THREADS` when set; otherwise 1 when the oneDNN
 * kernels will run (they use the cores themselves, and cannot work on the threaded binary's
 * shared memory), else every core (`os.availableParallelism()`).
 */
export function wantedWasmThreads(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BCL_WASM_THREADS;
  if (raw !== undefined && raw !== '') {
    const threads = Number(raw);
    if (!Number.isInteger(threads) || threads < 1) {
      throw new BclError('BACKEND_UNAVAILABLE', `BCL_WASM_THREADS must be a positive integer, but got "${raw}".`, {
        hint: 'unset it, or set e.g. BCL_WASM_THREADS=2 (XNNPACK threads when the oneDNN kernels are off).',
      });
    }
    return threads;
  }
  return onednnKernelsWanted(env) ? 1 : os.availableParallelism();
}

/** Whether the oneDNN kernels will run on wasm: the addon is built and `BCL_NATIVE_KERNELS` is not 0. */
export function onednnKernelsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.BCL_NATIVE_KERNELS !== '0' && !('reason' in loadOnednnAddon());
}

/**
 * Applies a CPU thread count (`bcl train --threads n`) to the wasm backend's kernels: the oneDNN
 * kernels' OpenMP threads (`BCL_THREADS`), or, when those will not run, the threaded wasm binary's
 * XNNPACK threads (`BCL_WASM_THREADS`; the two exclude each other). Call before `selectBackend`.
 */
export function applyCpuThreads(threads: number, env: NodeJS.ProcessEnv = process.env): void {
  env.BCL_THREADS = String(threads);
  if (!onednnKernelsWanted(env)) env.BCL_WASM_THREADS = String(threads);
}

/** Whether the wasm backend of this process runs the threaded binary (false before it is initialised). */
export function wasmIsThreaded(): boolean {
  if (!wasmBackendInitialised()) return false;
  const backend = tf.findBackend('wasm') as unknown as { wasm?: { PThread?: unknown } } | undefined;
  return backend?.wasm?.PThread !== undefined;
}
