import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng';
import { createBatchNorm } from './batch-norm';
import { compositeParts } from './composite';
import { createConv2d } from './conv2d';
import type { Module } from './module';
import { globalAveragePool, maxPool2d } from './pooling';
import { createBasicBlock, createBottleneckBlock, type ResidualBlockFactory } from './residual-blocks';
import { checkOneOf, checkPositiveInteger } from './validate';

/** ResNet depths on offer: 18 and 34 use basic blocks, 50 bottlenecks. */
export type ResNetDepth = 18 | 34 | 50;

/**
 * The stem before the residual stages. 'cifar': 3x3 conv, stride 1, no max-pool (SimCLR's and
 * SDCLR/BCL's CIFAR variant, for 32x32 inputs). 'imagenet': 7x7 conv, stride 2, then a 3x3
 * stride-2 max-pool (torchvision).
 */
export type ResNetStem = 'cifar' | 'imagenet';

/** Options of `createResNet`. */
export interface ResNetOptions {
  /** Variable prefix, e.g. `simclr/backbone`; variables are `<name>/layer1.0.conv1/kernel`, ... */
  readonly name: string;
  /** Source of every conv kernel draw, consumed in layer order. */
  readonly rng: Rng;
  /** 18, 34 or 50. */
  readonly depth: ResNetDepth;
  /** Default 'cifar' (the BCL paper's CIFAR-100-LT setting). */
  readonly stem?: ResNetStem;
  /**
   * Channels of the stem and first stage; stages 2-4 double it each time. Default 64
   * (torchvision). Small widths (4, 8, 16) make CPU runs feasible. Not torchvision's
   * `width_per_group`: this scales every stage.
   */
  readonly baseWidth?: number;
  /** Image channels: 1 (grey) or 3 (RGB). Default 3. */
  readonly inputChannels?: 1 | 3;
  /** Zero-init the last BN gamma of every residual block (torchvision's `zero_init_residual`). Default false. */
  readonly zeroInitResidual?: boolean;
}

/** A ResNet trunk: NHWC images `[B, H, W, C]` to globally average-pooled features `[B, featureDim]`. */
export interface ResNet extends Module {
  /** Width of the output features: 8 * baseWidth (basic blocks) or 32 * baseWidth (bottlenecks). */
  readonly featureDim: number;
}

const STAGE_BLOCKS: Record<ResNetDepth, readonly number[]> = {
  18: [2, 2, 2, 2],
  34: [3, 4, 6, 3],
  50: [3, 4, 6, 3],
};

/**
 * Builds a torchvision-layout ResNet without its classifier (`fc`): the stem, four stages of
 * residual blocks (the first block of stages 2-4 halves the resolution), and global average
 * pooling. Variable paths follow torchvision's `state_dict` keys (`conv1`, `bn1`,
 * `layer2.0.downsample.0`, ...), so checkpoints map across by name. With baseWidth 64 the
 * trainable parameter counts equal torchvision's (ResNet-18: 11,176,512).
 *
 * The ResNet owns its variables; `apply` returns features the caller owns.
 */
export function createResNet(options: ResNetOptions): ResNet {
  const { name, rng, depth, stem = 'cifar', baseWidth = 64, inputChannels = 3, zeroInitResidual = false } = options;
  checkOneOf(`${name}.depth`, depth, [18, 34, 50]);
  checkOneOf(`${name}.stem`, stem, ['cifar', 'imagenet']);
  checkPositiveInteger(`${name}.baseWidth`, baseWidth);
  checkOneOf(`${name}.inputChannels`, inputChannels, [1, 3]);

  const imagenetStem = stem === 'imagenet';
  const conv1 = createConv2d({
    name: `${name}/conv1`,
    rng,
    inChannels: inputChannels,
    outChannels: baseWidth,
    kernelSize: imagenetStem ? 7 : 3,
    stride: imagenetStem ? 2 : 1,
  });
  const bn1 = createBatchNorm({ name: `${name}/bn1`, channels: baseWidth });

  const block: ResidualBlockFactory = depth === 50 ? createBottleneckBlock : createBasicBlock;
  const blocks: Module[] = [];
  let channels = baseWidth;
  STAGE_BLOCKS[depth].forEach((count, stage) => {
    const planes = baseWidth * 2 ** stage;
    for (let index = 0; index < count; index++) {
      blocks.push(
        block({
          name: `${name}/layer${stage + 1}.${index}`,
          rng,
          inChannels: channels,
          planes,
          stride: stage > 0 && index === 0 ? 2 : 1,
          zeroInitResidual,
        }),
      );
      channels = planes * block.expansion;
    }
  });

  return {
    name,
    featureDim: channels,
    ...compositeParts([conv1, bn1, ...blocks]),
    apply: (input, context) =>
      tf.tidy(() => {
        let x = tf.relu(bn1.apply(conv1.apply(input, context), context)) as tf.Tensor4D;
        if (imagenetStem) x = maxPool2d(x, 3, 2, 1);
        for (const b of blocks) x = b.apply(x, context) as tf.Tensor4D;
        return globalAveragePool(x);
      }),
  };
}
