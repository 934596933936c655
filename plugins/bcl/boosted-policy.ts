import { deriveSeed, extendPolicy, MAX_MAGNITUDE, Rng, type AugmentationPolicy, type AugmentationStep } from '../../core/index';

/** How memorization scores become augmentation strength (all on RandAugment's 0-30 scale). */
export interface BoostedAugmentationOptions {
  /** RandAugment ops picked per view. 1 for BCL-I; the authors use 2 for BCL-D and ImageNet-LT / Places-LT. */
  readonly ops: number;
  /** Strength at score 0. Authors: 10 (k = 1), 5 (k = 2). */
  readonly magnitudeMin: number;
  /** Strength at score 1. Authors: 30. */
  readonly magnitudeMax: number;
  /**
   * Multiply the strength term by U(0,1), drawn once per sample per epoch and shared by the
   * sample's views (the authors' k = 2 variant: one transform per `__getitem__`, applied to both views).
   */
  readonly randomStrength: boolean;
  /**
   * Give every sample this score instead of its memorization score: the same augmentation at a
   * uniform strength, for a fair baseline. null (default) uses memorization.
   */
  readonly uniformScore: number | null;
}

/** Stream tag of BCL's per-sample, per-epoch strength draw U. */
const STRENGTH_STREAM = 0xbc1d;

/**
 * U(0,1) of sample `index` in `epoch`: a function of (seed, epoch, index) only, so it is the same
 * for every view of the sample, whatever batch the sample lands in, and after a resume.
 */
export function strengthDraw(seed: number, epoch: number, index: number): number {
  return new Rng(deriveSeed(seed, STRENGTH_STREAM, epoch, index)).next();
}

/**
 * BCL's RandAugment step for a sample of score M: each of `ops` ops applied with probability M at
 * magnitude min + (max - min) * M (times `u` with `randomStrength`). One magnitude for all views;
 * the ops are drawn per view by the step itself, as the authors' `RandAugment_prob` does.
 */
export function boostedStep(score: number, options: BoostedAugmentationOptions, u: number): AugmentationStep {
  const { magnitudeMin, magnitudeMax, randomStrength } = options;
  const strength = (magnitudeMax - magnitudeMin) * score * (randomStrength ? u : 1);
  return { op: 'RandAugment', k: options.ops, probability: score, magnitude: Math.min(MAX_MAGNITUDE, magnitudeMin + strength) };
}

/** Where a batch's policy comes from: the run seed and epoch (for U), and every sample's score. */
export interface BoostContext {
  readonly seed: number;
  readonly epoch: number;
  readonly scores: Float32Array;
}

/**
 * Adds BCL's RandAugment to every sample of the batch with a score above 0 (a score of 0 applies
 * nothing: every op is skipped with probability 1 - M = 1).
 */
export function boostedPolicy(policy: AugmentationPolicy, context: BoostContext, options: BoostedAugmentationOptions): AugmentationPolicy {
  const { seed, epoch, scores } = context;
  return extendPolicy(policy, (_, index) => {
    const score = options.uniformScore ?? scores[index];
    if (!(score > 0)) return undefined;
    const u = options.randomStrength ? strengthDraw(seed, epoch, index) : 1;
    return { append: [boostedStep(score, options, u)] };
  });
}
