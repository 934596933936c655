import * as tf from '@tensorflow/tfjs';
import { BclError } from '../errors';
import { registerCpuTrainingKernels } from './cpu-training-kernels';
import { configureWasmKernels } from './native/configure-wasm-kernels';
import { loadOnednnAddon } from './native/load-onednn-addon';
import { installThreadedWasm, settleThreadedWasm, wasmBackendInitialised } from './wasm-threads/threaded-wasm';
import { wantedWasmThreads, wasmIsThreaded } from './wasm-threads/wasm-threads-choice';
import { activateWebgpu } from './webgpu/activate-webgpu';

/**
 * Backends in order of preference. `tensorflow` is libtensorflow through tfjs-node(-gpu); `webgpu`
 * is any vendor's GPU through Dawn (picked by `auto` only for a hardware adapter).
 */
export const BACKEND_PREFERENCE = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_PREFERENCE)[number];

/** The backend in use and how it was chosen. */
export interface BackendChoice {
  readonly name: BackendName;
  /**
   * e.g. `tensorflow (@tensorflow/tfjs-node-gpu)`, `webgpu (nvidia hopper "NVIDIA H200" (max buffer
   * ...); ...)` or `wasm (SIMD binary, 1 thread; training kernels
   * supplied by bcl-ssl; faster wasm kernels; convolutions and MatMul in oneDNN 2.6.3 (avx2,
   * 2 threads), BatchNorm in C++)`.
   */
  readonly description: string;
}

/**
 * Picks and initialises a tensor backend. Without a request: TensorFlow native (tfjs-node-gpu,
 * then tfjs-node, both optional and loaded only if installed), then webgpu on a hardware adapter
 * (optional packages too), then wasm, then cpu. A requested
 * backend (`--backend`, or BCL_BACKEND) that cannot start is an error, never a silent fallback.
 */
export async function selectBackend(requested: string | undefined = process.env.BCL_BACKEND || undefined): Promise<BackendChoice> {
  if (requested !== undefined && !(BACKEND_PREFERENCE as readonly string[]).includes(requested)) {
    throw new BclError('BACKEND_UNAVAILABLE', `unknown backend "${requested}".`, {
      hint: `Choose one of ${BACKEND_PREFERENCE.join(', ')}.`,
    });
  }
  const candidates = requested ? [requested as BackendName] : BACKEND_PREFERENCE;
  // A malformed BCL_WASM_THREADS is the user's to fix, not a reason to fall back: throw its own error.
  if (candidates.includes('wasm')) wantedWasmThreads();
  const failures: string[] = [];
  for (const name of candidates) {
    const result = await tryBackend(name, requested !== undefined);
    if (typeof result !== 'string') return result;
    failures.push(`${name}: ${result}`);
  }
  throw new BclError('BACKEND_UNAVAILABLE', `backend ${requested ?? 'auto'} is not available (${failures.join('; ')}).`, {
    hint: unavailableHint(requested, failures.join('; ')),
  });
}

function unavailableHint(requested: string | undefined, failures: string): string {
  switch (requested) {
    case 'tensorflow':
      return 'Install @tensorflow/tfjs-node (needs internet access at install time) or use --backend wasm.';
    case 'webgpu':
      return failures.includes('not loadable')
        ? 'Install the package(s) with the command above (Node >= 20.19 loads them), or use --backend wasm.'
        : 'Install the GPU vendor\'s driver with Vulkan (Linux: plus the loader, libvulkan1), Metal (macOS) or D3D12 (Windows). To test without a GPU, point VK_ICD_FILENAMES at SwiftShader (Debian chromium: /usr/lib/chromium/vk_swiftshader_icd.json) and set XDG_RUNTIME_DIR. Or use --backend wasm.';
    default:
      return 'Reinstall dependencies with npm ci.';
  }
}

async function tryBackend(name: BackendName, requested: boolean): Promise<BackendChoice | string> {
  try {
    switch (name) {
      case 'webgpu': {
        const result = await activateWebgpu({ allowSoftwareAdapter: requested });
        return typeof result === 'string' ? result : { name, description: `webgpu (${result.description})` };
      }
      case 'tensorflow': {
        const loaded = loadNativeTensorflow();
        if ('failure' in loaded) return loaded.failure;
        await activate('tensorflow');
        return { name, description: `tensorflow (${loaded.pkg})` };
      }
      case 'wasm': {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('@tensorflow/tfjs-backend-wasm');
        // The binary is fixed when the backend first initialises: the threaded one for more than
        // one XNNPACK thread (docs/performance.md), which rules out the oneDNN kernels.
        const threads = wantedWasmThreads();
        if (threads > 1) installThreadedWasm(threads);
        const threaded = wasmBackendInitialised() ? wasmIsThreaded() : threads > 1;
        // Missing gradient kernels, faster replacements, and oneDNN kernels when built and the
        // binary is single-threaded; the description says which, once, in the run's start-up log.
        const kernels = configureWasmKernels(threaded ? { native: false } : {});
        await activate('wasm');
        const binary = threaded ? `threaded SIMD binary, ${settleThreadedWasm()} XNNPACK threads` : 'SIMD binary, 1 thread';
        const nativeNote = threaded && process.env.BCL_NATIVE_KERNELS !== '0' && !('reason' in loadOnednnAddon()) ? ' (oneDNN kernels off: they cannot use the threaded binary\'s shared memory)' : '';
        return { name, description: `wasm (${binary}; ${kernels}${nativeNote})` };
      }
      case 'cpu':
        registerCpuTrainingKernels();
        await activate('cpu');
        return { name, description: 'cpu (pure JavaScript; slow, for tests and tiny runs)' };
    }
  } catch (error) {
    return (error as Error).message;
  }
}

async function activate(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

/** Loads tfjs-node-gpu or tfjs-node if installed; returns the package used or why none loaded. */
function loadNativeTensorflow(): { pkg: string } | { failure: string } {
  const reasons: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      require(pkg);
      return { pkg };
    } catch (error) {
      reasons.push(`${pkg} not loadable (${(error as Error).message.split('\n')[0]})`);
    }
  }
  return { failure: reasons.join(', ') };
}
