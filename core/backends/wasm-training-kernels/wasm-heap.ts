import * as tf from '@tensorflow/tfjs';

/**
 * The parts of `@tensorflow/tfjs-backend-wasm`'s `BackendWasm` that kernels written in JavaScript
 * (as wasm's own `Slice` is) or in native code use to reach tensor memory on the wasm heap.
 * Typed here rather than imported, so this module does not load the wasm package.
 */
export interface WasmBackendHeap {
  /** Allocates an uninitialised output on the heap; the caller owns its one reference. */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view (no copy) of a tensor's heap memory. Invalidated when the heap grows (any allocation). */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  /** Byte offset of a tensor's data in the heap. */
  getMemoryOffset(dataId: tf.DataId): number;
  readonly wasm: { readonly HEAPU8: Uint8Array };
}

/** The wasm backend's heap interface, checked: throws when `backend` is not the wasm backend. */
export function wasmHeap(backend: unknown): WasmBackendHeap {
  const candidate = backend as Partial<WasmBackendHeap>;
  if (typeof candidate.makeOutput !== 'function' || typeof candidate.typedArrayFromHeap !== 'function' || candidate.wasm === undefined) {
    throw new Error('[wasm-training-kernels] expected the wasm backend (makeOutput, typedArrayFromHeap), but got another backend.');
  }
  return candidate as WasmBackendHeap;
}

/**
 * Allocates a float32 tensor on the wasm heap and lets `fill` write it through a heap view. The
 * tensor is tracked by the active `tf.tidy` scope and owns its buffer (disposing it frees the
 * memory). `fill` must not allocate on the heap: that can grow it and detach the view.
 */
export function heapTensor<R extends tf.Rank>(backend: WasmBackendHeap, shape: number[], fill: (out: Float32Array) => void): tf.Tensor<R> {
  const info = backend.makeOutput(shape, 'float32');
  fill(backend.typedArrayFromHeap(info));
  return tf.engine().makeTensorFromTensorInfo(info, backend as unknown as tf.KernelBackend) as tf.Tensor<R>;
}
