/**
 * The SimCLR / BYOL base ops as registered augmentation ops, named after their torchvision
 * transforms. Each draws exactly what `sampleSimclrParams` draws for its part, in the same order,
 * so the pipeline `SIMCLR_BASE_PIPELINE` reproduces `simclrAugmentation` byte for byte.
 */
import { z } from 'zod';
import { defineAugmentationOp, type AugmentationOp, type AugmentationStep } from './augmentation-op';
import { gaussianBlur } from './blur';
import { grayscale } from './enhance';
import { horizontalFlip } from './geometry';
import { solarize } from './point-ops';
import { resizedCrop } from './resize';
import { applyColorJitter, defaultBlurKernel, sampleColorJitter, sampleResizedCrop } from './simclr';

const probability = (fallback: number) => z.number().min(0).max(1).default(fallback);
const positiveRange = (high: number) =>
  z.tuple([z.number().gt(0), z.number().gt(0).max(high)]).refine(([a, b]) => a <= b, { message: 'must be [a, b] with a <= b' });

/** torchvision RandomResizedCrop (bicubic): a random window, resized to `size` (default: the input size). */
export const randomResizedCropOp = defineAugmentationOp({
  name: 'RandomResizedCrop',
  description: 'random crop of area fraction `scale` and aspect `ratio`, resized (bicubic) to `size`',
  params: z.strictObject({
    /** Area fraction range. Default [0.1, 1] (BCL; torchvision: [0.08, 1]). */
    scale: positiveRange(1).default([0.1, 1]),
    /** Aspect ratio (width / height) range, sampled log-uniformly. Default [3/4, 4/3]. */
    ratio: positiveRange(Infinity).default([3 / 4, 4 / 3]),
    /** Output [height, width]; omitted keeps the input size. */
    size: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional(),
  }),
  apply(image, p, rng) {
    const crop = sampleResizedCrop(rng, image, p.scale, p.ratio);
    const [height, width] = p.size ?? [image.height, image.width];
    return resizedCrop(image, crop.top, crop.left, crop.height, crop.width, height, width);
  },
});

/** torchvision RandomHorizontalFlip: flips when U < probability. */
export const randomHorizontalFlipOp = defineAugmentationOp({
  name: 'RandomHorizontalFlip',
  description: 'mirror left-right with probability `probability`',
  params: z.strictObject({ probability: probability(0.5) }),
  apply: (image, p, rng) => (rng.next() < p.probability ? horizontalFlip(image) : image),
});

/** torchvision RandomApply([ColorJitter(brightness, contrast, saturation, hue)], p=probability). */
export const colorJitterOp = defineAugmentationOp({
  name: 'ColorJitter',
  description: 'with probability `probability`, brightness / contrast / saturation / hue jitter in a random order',
  params: z.strictObject({
    probability: probability(0.8),
    brightness: z.number().min(0).default(0.4),
    contrast: z.number().min(0).default(0.4),
    saturation: z.number().min(0).default(0.4),
    hue: z.number().min(0).max(0.5).default(0.1),
  }),
  apply(image, p, rng) {
    const jitter = sampleColorJitter(rng, p);
    return jitter === null ? image : applyColorJitter(image, jitter);
  },
});

/** torchvision RandomGrayscale: luma replicated to every channel when U < probability. */
export const randomGrayscaleOp = defineAugmentationOp({
  name: 'RandomGrayscale',
  description: 'convert to grayscale with probability `probability`',
  params: z.strictObject({ probability: probability(0.2) }),
  apply: (image, p, rng) => (rng.next() < p.probability ? grayscale(image) : image),
});

/** BYOL's RandomApply(GaussianBlur): sigma ~ U(sigma); draws nothing when probability is 0. */
export const gaussianBlurOp = defineAugmentationOp({
  name: 'GaussianBlur',
  description: 'Gaussian blur with probability `probability`, sigma drawn from `sigma` (pixels)',
  params: z.strictObject({
    /** Default 1 (BYOL's first view; its second uses 0.1). */
    probability: probability(1),
    sigma: positiveRange(Infinity).default([0.1, 2]),
    /** Taps (odd); omitted: about 10% of the shorter side, odd, at least 3 (23 at 224, 3 at 32). */
    kernelSize: z.number().int().positive().refine((k) => k % 2 === 1, { message: 'must be odd' }).optional(),
  }),
  apply(image, p, rng) {
    if (!(p.probability > 0 && rng.next() < p.probability)) return image;
    const sigma = rng.uniform(p.sigma[0], p.sigma[1]);
    return gaussianBlur(image, sigma, p.kernelSize ?? defaultBlurKernel(Math.min(image.height, image.width)));
  },
});

/** BYOL's RandomSolarize: values >= threshold inverted; draws nothing when probability is 0. */
export const randomSolarizeOp = defineAugmentationOp({
  name: 'RandomSolarize',
  description: 'invert values >= `threshold` with probability `probability`',
  params: z.strictObject({
    /** Default 0.5 (torchvision's; BYOL: 0 for its first view, 0.2 for its second). */
    probability: probability(0.5),
    threshold: z.number().min(0).max(256).default(128),
  }),
  apply: (image, p, rng) => (p.probability > 0 && rng.next() < p.probability ? solarize(image, p.threshold) : image),
});

/** The SimCLR base ops, registered as built-ins. */
export const SIMCLR_OPS: readonly AugmentationOp<unknown, unknown>[] = [randomResizedCropOp, randomHorizontalFlipOp, colorJitterOp, randomGrayscaleOp, gaussianBlurOp, randomSolarizeOp];

/**
 * The SimCLR base pipeline as data: crop, flip, colour jitter, grayscale, then blur and solarize
 * (whose probabilities default to the recipe's `augmentation.blur` / `.solarize`, 0 unless set).
 * Every parameter comes from the recipe's `augmentation` section (see `recipeOpDefaults`).
 */
export const SIMCLR_BASE_PIPELINE: readonly AugmentationStep[] = [
  { op: 'RandomResizedCrop' },
  { op: 'RandomHorizontalFlip' },
  { op: 'ColorJitter' },
  { op: 'RandomGrayscale' },
  { op: 'GaussianBlur' },
  { op: 'RandomSolarize' },
];
