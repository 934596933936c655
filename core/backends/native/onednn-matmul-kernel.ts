import * as tf from '@tensorflow/tfjs';
import { wasmHeap } from '../wasm-training-kernels/wasm-heap';
import type { FallbackLookup } from './onednn-conv-kernels';
import type { OnednnAddon } from './load-onednn-addon';

/**
 * `BatchMatMul` for the wasm backend by oneDNN's matmul on the wasm heap. Transposed operands are
 * read through swapped strides: wasm's own kernel falls from ~30 to 1-2 GFLOP/s with a transposed
 * input, and every Linear layer's gradient has one. Inputs whose batch dimensions differ
 * (broadcasting) go to `fallback`.
 */
export function onednnMatMulKernelConfig(addon: OnednnAddon, fallback: FallbackLookup): tf.KernelConfig {
  const batchMatMul: tf.KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    const batchOf = (t: tf.TensorInfo) => t.shape.slice(0, -2);
    const [aBatch, bBatch] = [batchOf(a), batchOf(b)];
    const sameBatch = aBatch.length === bBatch.length && aBatch.every((d, i) => d === bBatch[i]);
    if (!sameBatch || a.dtype !== 'float32' || b.dtype !== 'float32') {
      const kernel = fallback(tf.BatchMatMul);
      if (kernel === undefined) throw new Error('[native-kernels BatchMatMul] broadcast batches need the wasm kernel, but none is registered. Hint: set BCL_NATIVE_KERNELS=0.');
      return kernel.kernelFunc(args) as tf.TensorInfo;
    }
    const [aRows, aCols] = a.shape.slice(-2);
    const [bRows, bCols] = b.shape.slice(-2);
    const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
    const [k2, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
    if (k !== k2) throw new Error(`[native-kernels BatchMatMul] inner dimensions differ: a ${JSON.stringify(a.shape)}, b ${JSON.stringify(b.shape)}`);
    const batch = aBatch.reduce((x, y) => x * y, 1);
    const heap = wasmHeap(args.backend);
    // Allocate first: allocation can grow the heap, which replaces its ArrayBuffer.
    const out = heap.makeOutput([...aBatch, m, n], 'float32');
    if (batch * m * n > 0 && k > 0) {
      addon.matMul(heap.wasm.HEAPU8.buffer, heap.getMemoryOffset(a.dataId), heap.getMemoryOffset(b.dataId), heap.getMemoryOffset(out.dataId), [
        batch, m, k, n, transposeA ? 1 : 0, transposeB ? 1 : 0,
      ]);
    } else if (batch * m * n > 0) {
      heap.typedArrayFromHeap(out).fill(0); // an empty inner dimension sums nothing
    }
    return out;
  };
  return { kernelName: tf.BatchMatMul, backendName: 'wasm', kernelFunc: batchMatMul };
}
