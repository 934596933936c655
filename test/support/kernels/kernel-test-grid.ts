import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { seededNormals, wasmVersusCpu } from './cpu-reference';

/**
 * Test support for the convolution-gradient kernel tests: their case types, the shared grid of
 * kernel sizes x strides x paddings, and the wasm-versus-cpu tolerance check. Not a test file
 * itself; the kernel tests import it.
 */

/** The padding argument tfjs's conv ops take, explicit padding given per NHWC dimension. */
export type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

type Shape4 = [number, number, number, number];

/** One Conv2D gradient case; `kernel` and `stride` take `[height, width]` for non-square ones. */
export interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  kernel: number | [number, number];
  stride: number | [number, number];
  pad: Pad;
  /** Layout of the input and dy tensors; the filter is always HWIO. Default 'NHWC'. */
  dataFormat?: 'NHWC' | 'NCHW';
}

/** One DepthwiseConv2dNative gradient case (NHWC, square kernel and stride). */
export interface DepthwiseCase {
  batch: number;
  height: number;
  width: number;
  channels: number;
  multiplier: number;
  kernel: number;
  stride: number;
  pad: Pad;
}

/** Largest max-norm relative error between wasm and cpu that any kernel test accepts. */
export const TOLERANCE = 1e-4;

/** Batch and channel shapes the Conv2D gradient grids run every kernel, stride and padding on. */
export const CONV_SHAPES = [
  { batch: 2, height: 9, width: 8, inChannels: 3, outChannels: 4 },
  { batch: 3, height: 8, width: 10, inChannels: 5, outChannels: 2 },
];

/** Batch and channel shapes the depthwise gradient grids run on: channel multipliers 1 and 2. */
export const DEPTHWISE_SHAPES = [
  { batch: 2, height: 9, width: 8, channels: 3, multiplier: 1 },
  { batch: 3, height: 8, width: 10, channels: 4, multiplier: 2 },
];

/**
 * Numeric and explicit padding cases, stride 3 and a padded 1x1 filter, that both Conv2D gradient
 * tests check; each test appends its own (non-square kernels, NCHW).
 */
export const CONV_PADDING_CASES: ConvCase[] = [
  // PyTorch-style symmetric numeric padding, as core/models' ResNet uses it.
  { batch: 2, height: 16, width: 16, inChannels: 3, outChannels: 4, kernel: 7, stride: 2, pad: 3 },
  { batch: 2, height: 8, width: 9, inChannels: 4, outChannels: 6, kernel: 3, stride: 2, pad: 1 },
  { batch: 2, height: 8, width: 8, inChannels: 4, outChannels: 6, kernel: 3, stride: 1, pad: 1 },
  { batch: 2, height: 8, width: 8, inChannels: 6, outChannels: 4, kernel: 1, stride: 2, pad: 0 },
  { batch: 2, height: 11, width: 9, inChannels: 3, outChannels: 4, kernel: 3, stride: 3, pad: 'valid' },
  { batch: 2, height: 8, width: 8, inChannels: 4, outChannels: 3, kernel: 5, stride: 3, pad: 'same' },
  { batch: 2, height: 8, width: 7, inChannels: 3, outChannels: 2, kernel: 3, stride: 2, pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
  // Zero padding on a 1x1 filter reads padded pixels, so this must take the convolution path.
  { batch: 2, height: 6, width: 6, inChannels: 3, outChannels: 5, kernel: 1, stride: 1, pad: [[0, 0], [1, 1], [0, 2], [0, 0]] },
];

/**
 * Numeric padding and stride 3 cases that both depthwise gradient tests check; each test appends
 * its own explicit-padding case.
 */
export const DEPTHWISE_PADDING_CASES: DepthwiseCase[] = [
  { batch: 2, height: 8, width: 9, channels: 4, multiplier: 1, kernel: 3, stride: 2, pad: 1 },
  { batch: 2, height: 8, width: 8, channels: 3, multiplier: 2, kernel: 5, stride: 1, pad: 2 },
  { batch: 2, height: 11, width: 9, channels: 3, multiplier: 2, kernel: 3, stride: 3, pad: 'valid' },
];

/** A tensor of `shape` filled with `seededNormals(seed, ...)`; the caller (a tidy) owns it. */
export function seededTensor(seed: number, shape: number[]): tf.Tensor {
  return tf.tensor(seededNormals(seed, shape.reduce((a, b) => a * b)), shape);
}

/**
 * NHWC shapes of a Conv2D case's input `x`, HWIO `filter` and `dy`, plus `toLayout`, which
 * reorders an NHWC shape into the case's `dataFormat`.
 */
export function convShapes(c: ConvCase): { x: Shape4; filter: Shape4; dy: Shape4; toLayout: (shape: Shape4) => Shape4 } {
  const x: Shape4 = [c.batch, c.height, c.width, c.inChannels];
  const [kh, kw] = typeof c.kernel === 'number' ? [c.kernel, c.kernel] : c.kernel;
  const filter: Shape4 = [kh, kw, c.inChannels, c.outChannels];
  const info = tf.backend_util.computeConv2DInfo(x, filter, c.stride, 1, c.pad);
  const dy: Shape4 = [c.batch, info.outHeight, info.outWidth, c.outChannels];
  const nchw = c.dataFormat === 'NCHW';
  const toLayout = (shape: Shape4): Shape4 => (nchw ? [shape[0], shape[3], shape[1], shape[2]] : shape);
  return { x, filter, dy, toLayout };
}

/** NHWC shapes of a depthwise case's input `x`, `filter` ([k, k, channels, multiplier]) and `dy`. */
export function depthwiseShapes(c: DepthwiseCase): { x: Shape4; filter: Shape4; dy: Shape4 } {
  const x: Shape4 = [c.batch, c.height, c.width, c.channels];
  const filter: Shape4 = [c.kernel, c.kernel, c.channels, c.multiplier];
  const info = tf.backend_util.computeConv2DInfo(x, filter, c.stride, 1, c.pad, undefined, true);
  const dy: Shape4 = [c.batch, info.outHeight, info.outWidth, c.channels * c.multiplier];
  return { x, filter, dy };
}

/**
 * The grid every gradient kernel test runs: each shape x each of `kernels` x strides 1 and 2 x
 * 'same' and 'valid' padding, in that nesting order, paired with seeds counting up from
 * `firstSeed`.
 */
export function* kernelGrid<S extends object>(
  shapes: S[],
  kernels: number[],
  firstSeed: number,
): Generator<[S & { kernel: number; stride: number; pad: 'same' | 'valid' }, number]> {
  let seed = firstSeed;
  for (const shape of shapes) {
    for (const kernel of kernels) {
      for (const stride of [1, 2]) {
        for (const pad of ['same', 'valid'] as const) {
          yield [{ ...shape, kernel, stride, pad }, seed++];
        }
      }
    }
  }
}

/** Pairs each of `cases` with a seed counting up from `firstSeed`. */
export function seeded<C>(cases: C[], firstSeed: number): [C, number][] {
  return cases.map((c, i) => [c, firstSeed + i]);
}

/**
 * Asserts that `gradient(case, seed)` agrees on wasm and cpu within `TOLERANCE` for every
 * `[case, seed]`, naming the failing case, and reports the worst error as a test diagnostic.
 */
export async function expectWasmMatchesCpu<C>(
  t: TestContext,
  cases: Iterable<[C, number]>,
  gradient: (c: C, seed: number) => tf.Tensor | tf.Tensor[],
  backendName: 'wasm' | 'webgpu' = 'wasm',
): Promise<void> {
  let worst = 0;
  for (const [c, seed] of cases) {
    const error = await wasmVersusCpu(() => gradient(c, seed), backendName);
    assert.ok(error <= TOLERANCE, `${JSON.stringify(c)}: max relative error ${error}`);
    worst = Math.max(worst, error);
  }
  t.diagnostic(`worst max relative error ${worst.toExponential(2)}`);
}
