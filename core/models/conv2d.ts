import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng';
import { kaimingNormalFanOut } from './init';
import type { Module } from './module';
import { checkPositiveInteger } from './validate';
import { createVariable, disposerFor } from './variable';

/** Options of `createConv2d`. */
export interface Conv2dOptions {
  /** Module name; the kernel is `<name>/kernel`. */
  readonly name: string;
  /** Source of the kaiming-normal (fan_out) kernel draws. */
  readonly rng: Rng;
  readonly inChannels: number;
  readonly outChannels: number;
  /** Square kernel size. */
  readonly kernelSize: number;
  /** Stride in both spatial dimensions. Default 1. */
  readonly stride?: number;
  /**
   * Zero padding on every side. Default `floor(kernelSize / 2)`, PyTorch's `padding=k//2`.
   * It is symmetric even at stride 2, unlike tfjs 'same', which pads only bottom/right there.
   */
  readonly padding?: number;
}

/**
 * A bias-free 2-D convolution, NHWC input and an HWIO kernel `[k, k, in, out]`, as ResNets use
 * before BatchNorm. Output size is floor((in + 2 * padding - k) / stride) + 1, as in PyTorch.
 * The module owns its kernel; `apply` returns a tensor the caller owns.
 */
export function createConv2d(options: Conv2dOptions): Module {
  const { name, rng, inChannels, outChannels, kernelSize, stride = 1 } = options;
  const padding = options.padding ?? Math.floor(kernelSize / 2);
  checkPositiveInteger(`${name}.inChannels`, inChannels);
  checkPositiveInteger(`${name}.outChannels`, outChannels);
  checkPositiveInteger(`${name}.kernelSize`, kernelSize);
  checkPositiveInteger(`${name}.stride`, stride);

  const shape = [kernelSize, kernelSize, inChannels, outChannels] as const;
  const kernel = createVariable(kaimingNormalFanOut(rng, shape), shape, true, `${name}/kernel`);
  return {
    name,
    trainableVariables: () => [kernel],
    stateVariables: () => [],
    // A numeric pad is symmetric in tfjs (top = bottom = left = right), matching PyTorch.
    apply: (input) => tf.tidy(() => tf.conv2d(input as tf.Tensor4D, kernel as tf.Tensor4D, stride, padding)),
    dispose: disposerFor([kernel]),
  };
}
