import * as tf from '@tensorflow/tfjs';
import { borrowInput, handOutput } from './kernel-tensor-bridge';
import { cropNegativeMargins } from './spatial-margins';
import { heapTensor, wasmHeap, type WasmBackendHeap } from './wasm-heap';

/**
 * `Conv2DBackpropInput` for the wasm backend, replacing wasm's own (a direct C++ loop, 4-8x
 * slower than the forward convolution): the input gradient of a 2-D convolution as ONE forward
 * convolution on XNNPACK.
 *
 *   dx[b, h, w, ci] = sum over y, x, i, j with h = y*sh + i - top, w = x*sw + j - left of  dy[b, y, x, co] * W[i, j, ci, co]
 *
 * Split the rows of dx by phase, h = q*sh + r (r in [0, sh)): only taps i with
 * i = r + top + (P - t)*sh reach row h, from dy row y = q + t - P, for t = 0..T-1. So every phase
 * is a forward correlation of dy (top padding P) with a T-tap sub-filter
 * F_r[t] = W[r + top + (P - t)*sh] (zero outside the filter), and the sh*sw phases, stacked as
 * output channels of one [Th, Tw, co, phases*ci] filter, are one conv2d. Its output holds
 * dx[b, q*sh + r, ...] at [b, q, ..., r*ci + c]; interleaving the phases gives dx.
 * At stride 1 this is the textbook form (the rotated filter with in/out channels swapped, padded
 * kh-1-top) and needs no interleave. No zeros are inserted into dy; the only multiply-adds spent on
 * zeros are the taps past the filter's edge when kh is not a multiple of the stride (3x3 stride 2:
 * 16 for 9), and phases that no tap reaches (1x1 stride 2) are left out of the filter.
 *
 * The phase filter is built and the phases interleaved by JavaScript loops over the heap (as wasm's
 * own Slice kernel works): a 6-D reverse and transpose, depthToSpace or slice through wasm ops cost
 * more than the convolution itself at ResNet layer sizes.
 */
export function conv2DBackpropInput(args: {
  inputs: { dy: tf.TensorInfo; filter: tf.TensorInfo };
  backend: unknown;
  attrs: tf.Conv2DBackpropInputAttrs;
}): tf.TensorInfo {
  const backend = args.backend as tf.KernelBackend;
  const heap = wasmHeap(args.backend);
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs;
  const nchw = dataFormat === 'NCHW';
  const result = tf.tidy(() => {
    let dy = borrowInput<tf.Rank.R4>(args.inputs.dy, backend);
    const filter = borrowInput<tf.Rank.R4>(args.inputs.filter, backend);
    // Written for channels-last; NCHW is transposed in and out (wasm's forward Conv2D rejects NCHW anyway).
    const nhwcShape = (nchw ? [inputShape[0], inputShape[2], inputShape[3], inputShape[1]] : inputShape) as [number, number, number, number];
    if (nchw) dy = tf.transpose(dy, [0, 2, 3, 1]);
    const info = tf.backend_util.computeConv2DInfo(
      nhwcShape, filter.shape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const dx = transposedConvolution(heap, dy, filter, nhwcShape, info);
    return nchw ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
  });
  return handOutput(result, backend);
}

/** How one spatial dimension of dx splits into stride phases (see `conv2DBackpropInput`). */
interface PhasePlan {
  /** dy padding before the correlation (negative: rows cropped). */
  readonly before: number;
  /** dy padding after it (negative: rows cropped). */
  readonly after: number;
  /** Sub-filter taps T. */
  readonly taps: number;
  /** Phase rows Q = ceil(size / stride) the correlation yields. */
  readonly rows: number;
  /** tapIndex(r, t): the filter row feeding phase r at tap t, or -1. */
  readonly tapIndex: (phase: number, tap: number) => number;
  /** Phases that some tap reaches. */
  readonly livePhases: number[];
}

function phasePlan(kernel: number, stride: number, before: number, size: number, dySize: number): PhasePlan {
  const padTop = Math.floor((kernel - 1 - before) / stride);
  const taps = padTop + Math.floor((stride - 1 + before) / stride) + 1;
  const rows = Math.ceil(size / stride);
  const tapIndex = (phase: number, tap: number) => {
    const i = phase + before + (padTop - tap) * stride;
    return i >= 0 && i < kernel ? i : -1;
  };
  const livePhases = [];
  for (let r = 0; r < stride; r++) {
    for (let t = 0; t < taps; t++) {
      if (tapIndex(r, t) >= 0) {
        livePhases.push(r);
        break;
      }
    }
  }
  return { before: padTop, after: rows - dySize - padTop + taps - 1, taps, rows, tapIndex, livePhases };
}

/**
 * The phase-split transposed convolution described on `conv2DBackpropInput`, NHWC in and out.
 * Call inside a `tf.tidy`; the result is tracked by that scope.
 */
export function transposedConvolution(
  heap: WasmBackendHeap,
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: [number, number, number, number],
  info: tf.backend_util.Conv2DInfo,
): tf.Tensor4D {
  const [batch, height, width, inChannels] = inputShape;
  const { filterHeight: kh, filterWidth: kw, outHeight, outWidth, outChannels, strideHeight: sh, strideWidth: sw } = info;
  const rowPlan = phasePlan(kh, sh, info.padInfo.top, height, outHeight);
  const colPlan = phasePlan(kw, sw, info.padInfo.left, width, outWidth);
  const phases: [number, number][] = rowPlan.livePhases.flatMap((r) => colPlan.livePhases.map((c): [number, number] => [r, c]));

  // Phase filter [Th, Tw, co, phases * ci]: entry (t, u, o, p*ci + c) = W[tapIndex_r(t), tapIndex_c(u), c, o].
  const w = filter.dataSync() as Float32Array;
  const [th, tw, stacked] = [rowPlan.taps, colPlan.taps, phases.length * inChannels];
  const phaseFilter = new Float32Array(th * tw * outChannels * stacked);
  for (let t = 0; t < th; t++) {
    for (let u = 0; u < tw; u++) {
      for (const [p, [r, s]] of phases.entries()) {
        const i = rowPlan.tapIndex(r, t);
        const j = colPlan.tapIndex(s, u);
        if (i < 0 || j < 0) continue;
        for (let c = 0; c < inChannels; c++) {
          const src = ((i * kw + j) * inChannels + c) * outChannels;
          const dst = (t * tw + u) * outChannels * stacked + p * inChannels + c;
          for (let o = 0; o < outChannels; o++) phaseFilter[dst + o * stacked] = w[src + o];
        }
      }
    }
  }

  const { cropped, padding } = cropNegativeMargins(dy, {
    top: rowPlan.before,
    bottom: rowPlan.after,
    left: colPlan.before,
    right: colPlan.after,
  });
  const out = tf.conv2d(cropped, tf.tensor4d(phaseFilter, [th, tw, outChannels, stacked]), 1, padding);
  const [rows, cols] = [rowPlan.rows, colPlan.rows];
  if (sh === 1 && sw === 1) return out; // one phase, rows === height, cols === width
  return heapTensor<tf.Rank.R4>(heap, inputShape, (dx) => {
    const src = heap.typedArrayFromHeap(out);
    if (phases.length < sh * sw) dx.fill(0);
    // dx[b, q*sh + r, v*sw + s, :] = out[b, q, v, p*ci : (p+1)*ci] for phase p = (r, s).
    for (let b = 0; b < batch; b++) {
      for (let q = 0; q < rows; q++) {
        for (let v = 0; v < cols; v++) {
          const from = ((b * rows + q) * cols + v) * stacked;
          for (const [p, [r, s]] of phases.entries()) {
            const h = q * sh + r;
            const x = v * sw + s;
            if (h >= height || x >= width) continue;
            const to = ((b * height + h) * width + x) * inChannels;
            const at = from + p * inChannels;
            for (let c = 0; c < inChannels; c++) dx[to + c] = src[at + c];
          }
        }
      }
    }
  });
}

/** Registration record for `Conv2DBackpropInput` on `wasm`; it replaces wasm's own kernel. */
export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
};
