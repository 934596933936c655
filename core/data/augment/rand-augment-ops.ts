/**
 * The 15 RandAugment ops of the BCL authors (`data/randaug.py`, adapted from ildoonet's
 * pytorch-randaugment), their value ranges, and one entry point that applies an op with all of its
 * random draws (sign, Cutout centre) fixed, so the op is a pure function of its parameters.
 */
import { z } from 'zod';
import type { Image } from '../image';
import { defineAugmentationOp, type AugmentationOp } from './augmentation-op';
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

/**
 * Parameters of a single RandAugment op as a pipeline step. `sign` and `center` fix draws that
 * are otherwise random (for replay and parity tests); ops that do not use them ignore them.
 */
export const RandAugmentOpParamsSchema = z.strictObject({
  /** Strength on the 0-30 scale (`randAugmentValue` maps it to the op's range). Default 10. */
  magnitude: z.number().min(0).max(MAX_MAGNITUDE).default(10),
  /** Applied when U < probability; U is drawn only when probability < 1. Default 1. */
  probability: z.number().min(0).max(1).default(1),
  /** Affine ops: the value's sign; omitted: negative when U > 0.5, as the authors draw it. */
  sign: z.union([z.literal(1), z.literal(-1)]).optional(),
  /** Cutout: the square's centre [x, y] in pixels; omitted: uniform over [0, width) x [0, height). */
  center: z.tuple([z.number(), z.number()]).optional(),
});

/** Parsed `RandAugmentOpParamsSchema`. */
export type RandAugmentOpParams = z.output<typeof RandAugmentOpParamsSchema>;

function randAugmentOp(op: RandAugmentOpName): AugmentationOp<RandAugmentOpParams, z.input<typeof RandAugmentOpParamsSchema>> {
  const signed = isSignedOp(op);
  const [min, max] = RAND_AUGMENT_RANGES[op];
  return defineAugmentationOp({
    name: op,
    description: `RandAugment ${op} (value ${min}..${max} over magnitude 0..${MAX_MAGNITUDE})`,
    params: RandAugmentOpParamsSchema,
    apply(image, p, rng) {
      if (p.probability < 1 && !(rng.next() < p.probability)) return image;
      let sign: 1 | -1 = 1;
      let cx = 0;
      let cy = 0;
      if (signed) sign = p.sign ?? (rng.next() > 0.5 ? -1 : 1);
      else if (op === 'Cutout') [cx, cy] = p.center ?? [rng.uniform(0, image.width), rng.uniform(0, image.height)];
      return applyRandAugmentOp(image, { op, value: randAugmentValue(op, p.magnitude), sign, cx, cy });
    },
  });
}

/** The 15 RandAugment ops as registered augmentation ops, in the authors' order. */
export const RAND_AUGMENT_OP_DEFINITIONS: readonly AugmentationOp<RandAugmentOpParams, z.input<typeof RandAugmentOpParamsSchema>>[] = RAND_AUGMENT_OPS.map(randAugmentOp);
