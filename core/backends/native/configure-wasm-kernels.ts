import { registerWasmTrainingKernels } from '../wasm-training-kernels/index';
import { useNativeKernels } from './index';

/** Which kernel layers to use on wasm; each defaults to its environment switch. */
export interface WasmKernelChoice {
  /** The faster pure-wasm replacements (default: unless `BCL_FAST_WASM_KERNELS=0`). */
  readonly faster?: boolean;
  /** oneDNN convolutions when the addon is built (default: unless `BCL_NATIVE_KERNELS=0`). */
  readonly native?: boolean;
}

/**
 * Sets up the wasm backend's training kernels in layers: the missing gradient kernels (always),
 * then the faster wasm replacements, then the oneDNN kernels over both. Call again with another
 * choice to switch (the benchmark does); the layers are swapped in a fixed order, so any sequence
 * of calls leaves the same kernels as a single call. Returns a description for the backend banner.
 */
export function configureWasmKernels(choice: WasmKernelChoice = {}): string {
  const faster = choice.faster ?? process.env.BCL_FAST_WASM_KERNELS !== '0';
  const native = choice.native ?? process.env.BCL_NATIVE_KERNELS !== '0';
  useNativeKernels(false);
  registerWasmTrainingKernels({ faster });
  const status = useNativeKernels(native);
  const wasmPart = faster ? 'faster wasm kernels' : 'stock wasm kernels';
  return `training kernels supplied by bcl-ssl; ${wasmPart}; ${status.description}`;
}
