import * as tf from '@tensorflow/tfjs';
import { wasmHeap, type WasmBackendHeap } from '../wasm-training-kernels/wasm-heap';
import type { OnednnAddon } from './load-onednn-addon';

/** A kernel to hand a call to when the native one does not cover it (NCHW, unusual padding). */
export type FallbackLookup = (kernelName: string) => tf.KernelConfig | undefined;

type ConvMode = 0 | 1 | 2;

/**
 * The 17 integers `conv2d` in the addon takes, or undefined when oneDNN cannot express the case.
 * oneDNN checks (H - kEff + top + bottom) / stride + 1 == outH; tfjs's padding satisfies that
 * except under ceil rounding, where the bottom/right padding is raised to what the output needs.
 */
function convDims(info: tf.backend_util.Conv2DInfo): number[] | undefined {
  const { batchSize, inHeight, inWidth, inChannels, outChannels, filterHeight, filterWidth, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo } = info;
  const fit = (size: number, kernel: number, dilation: number, stride: number, before: number, after: number, out: number) => {
    const span = (kernel - 1) * dilation + 1;
    if (Math.floor((size - span + before + after) / stride) + 1 === out) return after;
    const needed = (out - 1) * stride + span - size - before;
    return needed >= 0 ? needed : undefined;
  };
  const bottom = fit(inHeight, filterHeight, dilationHeight, strideHeight, padInfo.top, padInfo.bottom, outHeight);
  const right = fit(inWidth, filterWidth, dilationWidth, strideWidth, padInfo.left, padInfo.right, outWidth);
  if (bottom === undefined || right === undefined || padInfo.top < 0 || padInfo.left < 0) return undefined;
  return [
    batchSize, inHeight, inWidth, inChannels, outChannels, filterHeight, filterWidth, outHeight, outWidth,
    strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo.top, padInfo.left, bottom, right,
  ];
}

function run(addon: OnednnAddon, heap: WasmBackendHeap, mode: ConvMode, a: tf.TensorInfo, b: tf.TensorInfo, outShape: number[], dims: number[]): tf.TensorInfo {
  // Allocate first: allocation can grow the heap, which replaces its ArrayBuffer.
  const out = heap.makeOutput(outShape, 'float32');
  addon.conv2d(mode, heap.wasm.HEAPU8.buffer, heap.getMemoryOffset(a.dataId), heap.getMemoryOffset(b.dataId), heap.getMemoryOffset(out.dataId), dims);
  return out;
}

function delegate(fallback: FallbackLookup, name: string, args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const kernel = fallback(name);
  if (kernel === undefined) throw new Error(`[native-kernels ${name}] this case needs the wasm kernel, but none is registered. Hint: set BCL_NATIVE_KERNELS=0.`);
  return kernel.kernelFunc(args) as tf.TensorInfo;
}

/**
 * `Conv2D`, `Conv2DBackpropInput` and `Conv2DBackpropFilter` for the wasm backend, computed by
 * oneDNN directly on the wasm heap (no copies). NCHW and padding oneDNN cannot express go to
 * `fallback` (the kernel these replaced).
 */
export function onednnConvKernelConfigs(addon: OnednnAddon, fallback: FallbackLookup): tf.KernelConfig[] {
  const conv2D: tf.KernelFunc = (args) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as tf.Conv2DAttrs;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
      strides, dilations, pad, dimRoundingMode, false, 'channelsLast');
    const dims = dataFormat === 'NCHW' ? undefined : convDims(info);
    if (dims === undefined) return delegate(fallback, tf.Conv2D, args);
    return run(addon, wasmHeap(args.backend), 0, x, filter, info.outShape, dims);
  };
  const conv2DBackpropInput: tf.KernelFunc = (args) => {
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const info = tf.backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const dims = dataFormat === 'NCHW' ? undefined : convDims(info);
    if (dims === undefined) return delegate(fallback, tf.Conv2DBackpropInput, args);
    return run(addon, wasmHeap(args.backend), 1, dy, filter, inputShape, dims);
  };
  const conv2DBackpropFilter: tf.KernelFunc = (args) => {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const dims = dataFormat === 'NCHW' ? undefined : convDims(info);
    if (dims === undefined) return delegate(fallback, tf.Conv2DBackpropFilter, args);
    return run(addon, wasmHeap(args.backend), 2, x, dy, filterShape, dims);
  };
  return [
    { kernelName: tf.Conv2D, backendName: 'wasm', kernelFunc: conv2D },
    { kernelName: tf.Conv2DBackpropInput, backendName: 'wasm', kernelFunc: conv2DBackpropInput },
    { kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2DBackpropFilter },
  ];
}
