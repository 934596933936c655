import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng';
import { createBatchNorm } from './batch-norm';
import { compositeParts } from './composite';
import { createConv2d } from './conv2d';
import type { ForwardContext, Module } from './module';

/** Options shared by the residual blocks. */
export interface ResidualBlockOptions {
  /** Block name, e.g. `simclr/backbone/layer2.0`; children are `<name>.conv1`, `<name>.bn1`, ... */
  readonly name: string;
  readonly rng: Rng;
  readonly inChannels: number;
  /** torchvision's `planes`: the block outputs `planes * expansion` channels. */
  readonly planes: number;
  /** Stride of the block's spatial downsampling (1 or 2). */
  readonly stride: number;
  /** Start the last BN's gamma at 0, so the block starts as the identity. */
  readonly zeroInitResidual: boolean;
}

/** A residual block constructor, with torchvision's channel `expansion` (1 basic, 4 bottleneck). */
export interface ResidualBlockFactory {
  readonly expansion: number;
  (options: ResidualBlockOptions): Module;
}

/**
 * torchvision's BasicBlock: conv3x3(stride)-BN-ReLU-conv3x3-BN, plus the shortcut, then ReLU.
 * The block owns its layers; `apply` returns a tensor the caller owns.
 */
export const createBasicBlock: ResidualBlockFactory = Object.assign(
  (options: ResidualBlockOptions): Module => {
    const { name, rng, inChannels, planes, stride, zeroInitResidual } = options;
    const conv1 = createConv2d({ name: `${name}.conv1`, rng, inChannels, outChannels: planes, kernelSize: 3, stride });
    const bn1 = createBatchNorm({ name: `${name}.bn1`, channels: planes });
    const conv2 = createConv2d({ name: `${name}.conv2`, rng, inChannels: planes, outChannels: planes, kernelSize: 3 });
    const bn2 = createBatchNorm({ name: `${name}.bn2`, channels: planes, zeroInitGamma: zeroInitResidual });
    const shortcut = createShortcut(options, planes);
    const children = shortcut ? [conv1, bn1, conv2, bn2, ...shortcut] : [conv1, bn1, conv2, bn2];
    return {
      name,
      ...compositeParts(children),
      apply: (input, context) =>
        tf.tidy(() => {
          let x = tf.relu(bn1.apply(conv1.apply(input, context), context));
          x = bn2.apply(conv2.apply(x, context), context);
          return tf.relu(tf.add(x, applyShortcut(shortcut, input, context)));
        }),
    };
  },
  { expansion: 1 },
);

/**
 * torchvision's Bottleneck (ResNet v1.5, stride on the 3x3): conv1x1-BN-ReLU-conv3x3(stride)-BN-ReLU-
 * conv1x1-BN, plus the shortcut, then ReLU; outputs `4 * planes` channels. The block owns its
 * layers; `apply` returns a tensor the caller owns.
 */
export const createBottleneckBlock: ResidualBlockFactory = Object.assign(
  (options: ResidualBlockOptions): Module => {
    const { name, rng, inChannels, planes, stride, zeroInitResidual } = options;
    const outChannels = planes * 4;
    const conv1 = createConv2d({ name: `${name}.conv1`, rng, inChannels, outChannels: planes, kernelSize: 1 });
    const bn1 = createBatchNorm({ name: `${name}.bn1`, channels: planes });
    const conv2 = createConv2d({ name: `${name}.conv2`, rng, inChannels: planes, outChannels: planes, kernelSize: 3, stride });
    const bn2 = createBatchNorm({ name: `${name}.bn2`, channels: planes });
    const conv3 = createConv2d({ name: `${name}.conv3`, rng, inChannels: planes, outChannels, kernelSize: 1 });
    const bn3 = createBatchNorm({ name: `${name}.bn3`, channels: outChannels, zeroInitGamma: zeroInitResidual });
    const shortcut = createShortcut(options, outChannels);
    const layers = [conv1, bn1, conv2, bn2, conv3, bn3];
    return {
      name,
      ...compositeParts(shortcut ? [...layers, ...shortcut] : layers),
      apply: (input, context) =>
        tf.tidy(() => {
          let x = tf.relu(bn1.apply(conv1.apply(input, context), context));
          x = tf.relu(bn2.apply(conv2.apply(x, context), context));
          x = bn3.apply(conv3.apply(x, context), context);
          return tf.relu(tf.add(x, applyShortcut(shortcut, input, context)));
        }),
    };
  },
  { expansion: 4 },
);

type Shortcut = readonly [conv: Module, bn: Module] | undefined;

/**
 * torchvision's `downsample`: a strided 1x1 conv and BN (`<name>.downsample.0`, `.downsample.1`),
 * needed when the block changes resolution or width; otherwise the shortcut is the identity.
 */
function createShortcut(options: ResidualBlockOptions, outChannels: number): Shortcut {
  const { name, rng, inChannels, stride } = options;
  if (stride === 1 && inChannels === outChannels) return undefined;
  return [
    createConv2d({ name: `${name}.downsample.0`, rng, inChannels, outChannels, kernelSize: 1, stride }),
    createBatchNorm({ name: `${name}.downsample.1`, channels: outChannels }),
  ];
}

function applyShortcut(shortcut: Shortcut, input: tf.Tensor, context: ForwardContext): tf.Tensor {
  return shortcut ? shortcut[1].apply(shortcut[0].apply(input, context), context) : input;
}
