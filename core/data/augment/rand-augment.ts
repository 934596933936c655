/**
 * RandAugment with per-sample settings, as the BCL authors run it (`RandAugment_prob`): draw k ops
 * with replacement (`random.choices`), apply each with probability p at one magnitude on the 0-30
 * scale. A view is a function of the Rng's seed: every draw comes from `rng`, and sampling is
 * separate from applying so the drawn steps can be logged, tested or replayed.
 */
import { BclError } from '../../errors';
import type { RandAugmentPolicy } from '../../hooks/contexts';
import type { Rng } from '../../random/rng';
import type { Image } from '../image';
import {
  applyRandAugmentOp,
  isSignedOp,
  MAX_MAGNITUDE,
  RAND_AUGMENT_OPS,
  randAugmentValue,
  type RandAugmentStep,
} from './rand-augment-ops';

/** Per-sample RandAugment settings. */
export interface RandAugmentSettings {
  /** Ops drawn per view, with replacement (integer >= 0). Default 2 (the authors' BCL runs use 1). */
  readonly k: number;
  /** Probability that each drawn op is applied, in [0, 1]. Default 1. */
  readonly probability: number;
  /**
   * Magnitude on the 0-30 scale: a number, or [low, high] to draw it uniformly once per view
   * (BCL's `strength * M * U(0,1)` is [0, strength * M]). Default 10.
   */
  readonly magnitude: number | readonly [number, number];
}

/** Defaults of `RandAugmentSettings`. */
export const DEFAULT_RAND_AUGMENT: RandAugmentSettings = { k: 2, probability: 1, magnitude: 10 };

function invalid(path: string, expected: string, got: unknown): BclError {
  return new BclError('PLUGIN_FAILED', `${path} must be ${expected}, but got ${JSON.stringify(got)}.`, {
    hint: 'RandAugment settings come from the augmentation policy (magnitudes use the 0-30 scale).',
  });
}

/** Checks settings up front, naming the bad field. Throws BclError. */
export function validateRandAugmentSettings(settings: RandAugmentSettings, path = 'randAugment'): void {
  const { k, probability, magnitude } = settings;
  if (!Number.isInteger(k) || k < 0) throw invalid(`${path}.k`, 'an integer >= 0', k);
  if (!(probability >= 0 && probability <= 1)) throw invalid(`${path}.probability`, 'in [0, 1]', probability);
  const [low, high] = typeof magnitude === 'number' ? [magnitude, magnitude] : magnitude;
  // The tolerance admits float32 policy values such as fround(30 * M) a hair above 30.
  if (!(low >= 0 && high >= low && high <= MAX_MAGNITUDE * (1 + 1e-6))) {
    throw invalid(`${path}.magnitude`, `a number or [low, high] with 0 <= low <= high <= ${MAX_MAGNITUDE}`, magnitude);
  }
}

/**
 * Draws one view's steps: the magnitude (if a range), k op ids, then per op the apply-or-skip draw
 * and, for applied ops, the sign (affine ops: negative when U > 0.5, as the authors do) or the
 * Cutout centre (uniform over [0, width) x [0, height)). Returns only the applied steps, in order.
 * Settings are validated on every call (a few comparisons), since policies set them per sample.
 */
export function sampleRandAugment(rng: Rng, size: Pick<Image, 'height' | 'width'>, settings: RandAugmentSettings = DEFAULT_RAND_AUGMENT): RandAugmentStep[] {
  validateRandAugmentSettings(settings);
  const { k, probability, magnitude } = settings;
  const m = typeof magnitude === 'number' ? magnitude : rng.uniform(magnitude[0], magnitude[1]);
  const ops = new Array<number>(k);
  for (let i = 0; i < k; i++) ops[i] = rng.int(RAND_AUGMENT_OPS.length);
  const steps: RandAugmentStep[] = [];
  for (let i = 0; i < k; i++) {
    if (!(rng.next() < probability)) continue;
    const op = RAND_AUGMENT_OPS[ops[i]];
    let sign: 1 | -1 = 1;
    let cx = 0;
    let cy = 0;
    if (isSignedOp(op)) sign = rng.next() > 0.5 ? -1 : 1;
    else if (op === 'Cutout') {
      cx = rng.uniform(0, size.width);
      cy = rng.uniform(0, size.height);
    }
    steps.push({ op, value: randAugmentValue(op, m), sign, cx, cy });
  }
  return steps;
}

/** Applies drawn steps in order; returns a new image (a copy when there are none). */
export function applyRandAugment(image: Image, steps: readonly RandAugmentStep[]): Image {
  let out = image;
  for (const step of steps) out = applyRandAugmentOp(out, step);
  return out === image ? { ...image, data: image.data.slice() } : out;
}

/**
 * RandAugment with default settings fixed at construction and overridable per sample, so a
 * policy can vary k, probability and magnitude sample by sample.
 */
export class RandAugment {
  /** Settings of samples that pass no override. */
  readonly defaults: RandAugmentSettings;

  /** Fills unset fields from DEFAULT_RAND_AUGMENT and validates (throws BclError). */
  constructor(defaults: Partial<RandAugmentSettings> = {}) {
    this.defaults = { ...DEFAULT_RAND_AUGMENT, ...defaults };
    validateRandAugmentSettings(this.defaults);
  }

  /** Draws the steps of one view; `settings` override the defaults for this sample only. */
  sample(rng: Rng, size: Pick<Image, 'height' | 'width'>, settings?: Partial<RandAugmentSettings>): RandAugmentStep[] {
    return sampleRandAugment(rng, size, settings === undefined ? this.defaults : { ...this.defaults, ...settings });
  }

  /** Draws and applies one view. */
  augment(image: Image, rng: Rng, settings?: Partial<RandAugmentSettings>): Image {
    return applyRandAugment(image, this.sample(rng, image, settings));
  }
}

/** Options of the BCL memorization-boosted variant. */
export interface BclRandAugmentOptions {
  /** Ops drawn per view. Default 1 (the authors' `--rand_k`). */
  readonly k?: number;
  /** Maximum magnitude on the 0-30 scale. Default 30 (the authors' `--rand_strength`). */
  readonly strength?: number;
}

/**
 * BCL's per-sample settings from a memorization score M in [0, 1]: each op applies with
 * probability M at magnitude `strength * M * U(0,1)`, i.e. value = min + (max-min) * M * U(0,1)
 * at strength 30. (The authors draw U once per `__getitem__`, shared by the sample's two views; a
 * policy that wants that passes [m, m] with its own draw.)
 */
export function bclRandAugmentSettings(memorization: number, options: BclRandAugmentOptions = {}): RandAugmentSettings {
  const { k = 1, strength = MAX_MAGNITUDE } = options;
  if (!(memorization >= 0 && memorization <= 1)) throw invalid('memorization', 'in [0, 1]', memorization);
  return { k, probability: memorization, magnitude: [0, strength * memorization] };
}

/** Sample `i`'s settings from the trainer's `RandAugmentPolicy` (the `augmentationPolicy` hook's value). */
export function randAugmentSettingsFromPolicy(policy: RandAugmentPolicy, i: number): RandAugmentSettings {
  const low = policy.magnitudeLow[i];
  const high = policy.magnitudeHigh[i];
  return { k: policy.ops, probability: policy.probability[i], magnitude: low === high ? low : [low, high] };
}
