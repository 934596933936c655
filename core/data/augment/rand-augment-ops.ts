/**
 * The 15 RandAugment ops of the BCL authors (`data/randaug.py`, adapted from ildoonet's
 * pytorch-randaugment), their value ranges, and one entry point that applies an op with all of its
 * random draws (sign, Cutout centre) fixed, so the op is a pure function of its parameters.
 */
import type { Image } from '../image';
import { cutout } from './cutout';
import { adjustBrightness, adjustContrast, adjustSaturation, adjustSharpness } from './enhance';
import { rotate, shearX, shearY, translateX, translateY } from './geometry';
import { autoContrast, equalize, invert, posterize, solarize } from './point-ops';

/** The ops in the authors' order (their list index is the op id). */
export const RAND_AUGMENT_OPS = [
  'ShearX',
  'ShearY',
  'TranslateX',
  'TranslateY',
  'Rotate',
  'AutoContrast',
  'Invert',
  'Equalize',
  'Solarize',
  'Posterize',
  'Contrast',
  'Color',
  'Brightness',
  'Sharpness',
  'Cutout',
] as const;

/** Name of one RandAugment op. */
export type RandAugmentOpName = (typeof RAND_AUGMENT_OPS)[number];

/**
 * [min, max] of each op's value, mapped from the 0-30 magnitude scale. Units: shear factor,
 * fraction of the image side (translate, Cutout square side), degrees (Rotate), threshold
 * (Solarize), kept bits (Posterize), ImageEnhance factor (Contrast, Color, Brightness, Sharpness);
 * AutoContrast, Invert and Equalize ignore their value.
 */
export const RAND_AUGMENT_RANGES: Readonly<Record<RandAugmentOpName, readonly [number, number]>> = {
  ShearX: [0.0, 0.6],
  ShearY: [0.0, 0.6],
  TranslateX: [0.0, 0.66],
  TranslateY: [0.0, 0.66],
  Rotate: [0, 60],
  AutoContrast: [0, 1],
  Invert: [0, 1],
  Equalize: [0, 1],
  Solarize: [0, 110],
  Posterize: [4, 8],
  Contrast: [0.1, 1.9],
  Color: [0.1, 1.9],
  Brightness: [0.1, 1.9],
  Sharpness: [0.1, 1.9],
  Cutout: [0, 0.4],
};

/** The top of the magnitude scale. */
export const MAX_MAGNITUDE = 30;

/** Ops whose value the authors negate with probability 1/2. */
const SIGNED_OPS: ReadonlySet<RandAugmentOpName> = new Set(['ShearX', 'ShearY', 'TranslateX', 'TranslateY', 'Rotate']);

/** True for the affine ops whose value gets a random sign. */
export function isSignedOp(op: RandAugmentOpName): boolean {
  return SIGNED_OPS.has(op);
}

/**
 * An op's value at a magnitude on the 0-30 scale: `magnitude / 30 * (max - min) + min`, computed
 * in the authors' order so values match theirs to the last bit.
 */
export function randAugmentValue(op: RandAugmentOpName, magnitude: number): number {
  const [min, max] = RAND_AUGMENT_RANGES[op];
  return (magnitude / MAX_MAGNITUDE) * (max - min) + min;
}

/** One op with every random draw fixed: what `applyRandAugmentOp` needs to be deterministic. */
export interface RandAugmentStep {
  readonly op: RandAugmentOpName;
  /** The op's value on its own scale (see RAND_AUGMENT_RANGES), before the sign. */
  readonly value: number;
  /** +1 or -1; multiplies the value of the affine ops, ignored by the others. */
  readonly sign: 1 | -1;
  /** Cutout centre in pixels (x from the left, y from the top); ignored by the other ops. */
  readonly cx: number;
  readonly cy: number;
}

/** Applies one RandAugment op; returns a new image. */
export function applyRandAugmentOp(image: Image, step: RandAugmentStep): Image {
  const v = step.value;
  switch (step.op) {
    case 'ShearX':
      return shearX(image, v * step.sign);
    case 'ShearY':
      return shearY(image, v * step.sign);
    case 'TranslateX':
      return translateX(image, v * step.sign);
    case 'TranslateY':
      return translateY(image, v * step.sign);
    case 'Rotate':
      return rotate(image, v * step.sign);
    case 'AutoContrast':
      return autoContrast(image);
    case 'Invert':
      return invert(image);
    case 'Equalize':
      return equalize(image);
    case 'Solarize':
      return solarize(image, v);
    case 'Posterize':
      return posterize(image, v);
    case 'Contrast':
      return adjustContrast(image, v);
    case 'Color':
      return adjustSaturation(image, v);
    case 'Brightness':
      return adjustBrightness(image, v);
    case 'Sharpness':
      return adjustSharpness(image, v);
    case 'Cutout':
      return cutout(image, v, step.cx, step.cy);
  }
}
