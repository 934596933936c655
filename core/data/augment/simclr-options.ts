/**
 * Options of the SimCLR base pipeline, with the defaults the BCL authors use on CIFAR
 * (`data/memoboosted_cifar100.py`: RandomResizedCrop(32, scale=(0.1, 1), bicubic),
 * RandomHorizontalFlip, RandomApply([ColorJitter(0.4, 0.4, 0.4, 0.1)], p=0.8),
 * RandomGrayscale(p=0.2)), BYOL's optional blur and solarize, and their up-front validation.
 * Field names follow the recipe's `augmentation` section.
 */
import { BclError } from '../../errors';

/** Colour jitter (torchvision ColorJitter inside RandomApply). */
export interface ColorJitterOptions {
  /** Probability the jitter is applied at all. Default 0.8. */
  readonly probability: number;
  /** Brightness factor drawn from [max(0, 1-b), 1+b]; 0 disables. Default 0.4. */
  readonly brightness: number;
  /** Contrast factor drawn from [max(0, 1-c), 1+c]; 0 disables. Default 0.4. */
  readonly contrast: number;
  /** Saturation factor drawn from [max(0, 1-s), 1+s]; 0 disables. Default 0.4. */
  readonly saturation: number;
  /** Hue shift drawn from [-h, h] (fraction of a full turn, h <= 0.5); 0 disables. Default 0.1. */
  readonly hue: number;
}

/** BYOL's Gaussian blur step (off by default: SimCLR on CIFAR does not blur). */
export interface BlurOptions {
  /** Probability of blurring. Default 0 (BYOL: 1.0 for view 1, 0.1 for view 2). */
  readonly probability: number;
  /** Sigma range in pixels, drawn uniformly. Default [0.1, 2.0]. */
  readonly sigma: readonly [number, number];
  /** Kernel taps (odd); undefined means ~10% of the output side, made odd, at least 3 (23 at 224). */
  readonly kernelSize?: number;
}

/** BYOL's solarize step (off by default). */
export interface SolarizeOptions {
  /** Probability of solarizing. Default 0 (BYOL: 0 for view 1, 0.2 for view 2). */
  readonly probability: number;
  /** Values >= threshold are inverted. Default 128. */
  readonly threshold: number;
}

/** Full SimCLR pipeline options; `simclrOptions()` builds them from any subset. */
export interface SimclrOptions {
  /** Output [height, width]; undefined keeps the input size (32x32 on CIFAR). */
  readonly outputSize?: readonly [number, number];
  /** RandomResizedCrop area fraction range. Default [0.1, 1] (BCL; torchvision's default is [0.08, 1]). */
  readonly cropScale: readonly [number, number];
  /** RandomResizedCrop aspect-ratio range (width / height). Default [3/4, 4/3]. */
  readonly cropRatio: readonly [number, number];
  /** Horizontal flip probability. Default 0.5. */
  readonly flip: number;
  readonly colorJitter: ColorJitterOptions;
  /** Grayscale probability. Default 0.2. */
  readonly grayscale: number;
  readonly blur: BlurOptions;
  readonly solarize: SolarizeOptions;
}

/** The defaults listed on each field. */
export const DEFAULT_SIMCLR_OPTIONS: SimclrOptions = {
  cropScale: [0.1, 1],
  cropRatio: [3 / 4, 4 / 3],
  flip: 0.5,
  colorJitter: { probability: 0.8, brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 },
  grayscale: 0.2,
  blur: { probability: 0, sigma: [0.1, 2.0] },
  solarize: { probability: 0, threshold: 128 },
};

/** What callers pass: any subset, nested objects partial too. */
export type SimclrOptionsInput = Partial<Omit<SimclrOptions, 'colorJitter' | 'blur' | 'solarize'>> & {
  readonly colorJitter?: Partial<ColorJitterOptions>;
  readonly blur?: Partial<BlurOptions>;
  readonly solarize?: Partial<SolarizeOptions>;
};

function fail(path: string, expected: string, got: unknown): never {
  throw new BclError('RECIPE_INVALID', `${path} must be ${expected}, but got ${JSON.stringify(got)}.`, {
    hint: 'See docs/augmentations.md for the SimCLR pipeline options and their defaults.',
  });
}

function checkProbability(path: string, p: number): void {
  if (!(p >= 0 && p <= 1)) fail(path, 'in [0, 1]', p);
}

function checkRange(path: string, r: readonly number[], high: number): void {
  if (!(r.length === 2 && r[0] > 0 && r[1] >= r[0] && r[1] <= high)) fail(path, `[a, b] with 0 < a <= b <= ${high}`, r);
}

/** Resolved options by input object, so per-sample callers pay one map lookup. */
const resolvedCache = new WeakMap<object, SimclrOptions>();

/**
 * Fills defaults and validates; errors name the bad field (`augmentation.cropScale must be ...`).
 * Cached per input object.
 */
export function simclrOptions(input: SimclrOptionsInput = {}, path = 'augmentation'): SimclrOptions {
  const cached = resolvedCache.get(input);
  if (cached !== undefined) return cached;
  const d = DEFAULT_SIMCLR_OPTIONS;
  const o: SimclrOptions = {
    ...d,
    ...input,
    colorJitter: { ...d.colorJitter, ...input.colorJitter },
    blur: { ...d.blur, ...input.blur },
    solarize: { ...d.solarize, ...input.solarize },
  };
  const size = o.outputSize;
  if (size !== undefined && !(size.length === 2 && size.every((s) => Number.isInteger(s) && s >= 1))) {
    fail(`${path}.outputSize`, '[height, width] of positive integers', size);
  }
  checkRange(`${path}.cropScale`, o.cropScale, 1);
  checkRange(`${path}.cropRatio`, o.cropRatio, Infinity);
  checkProbability(`${path}.flip`, o.flip);
  const j = o.colorJitter;
  checkProbability(`${path}.colorJitter.probability`, j.probability);
  for (const key of ['brightness', 'contrast', 'saturation'] as const) {
    if (!(j[key] >= 0 && Number.isFinite(j[key]))) fail(`${path}.colorJitter.${key}`, 'a finite number >= 0', j[key]);
  }
  if (!(j.hue >= 0 && j.hue <= 0.5)) fail(`${path}.colorJitter.hue`, 'in [0, 0.5]', j.hue);
  checkProbability(`${path}.grayscale`, o.grayscale);
  checkProbability(`${path}.blur.probability`, o.blur.probability);
  checkRange(`${path}.blur.sigma`, o.blur.sigma, Infinity);
  const k = o.blur.kernelSize;
  if (k !== undefined && !(Number.isInteger(k) && k >= 1 && k % 2 === 1)) fail(`${path}.blur.kernelSize`, 'an odd integer >= 1', k);
  checkProbability(`${path}.solarize.probability`, o.solarize.probability);
  const t = o.solarize.threshold;
  if (!(t >= 0 && t <= 256)) fail(`${path}.solarize.threshold`, 'in [0, 256]', t);
  resolvedCache.set(input, o);
  resolvedCache.set(o, o);
  return o;
}
