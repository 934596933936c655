import type { RandAugmentPolicy } from '../../core/index';

/** How memorization scores become augmentation strength (all on RandAugment's 0-30 scale). */
export interface BoostedAugmentationOptions {
  /** RandAugment ops picked per view. 1 for BCL-I; the authors use 2 for BCL-D and ImageNet-LT / Places-LT. */
  readonly ops: number;
  /** Strength at score 0. Authors: 10 (k = 1), 5 (k = 2). */
  readonly magnitudeMin: number;
  /** Strength at score 1. Authors: 30. */
  readonly magnitudeMax: number;
  /** Multiply the strength term by U(0,1) per op (the authors' k = 2 variant). */
  readonly randomStrength: boolean;
  /**
   * Give every sample this score instead of its memorization score: the same augmentation at a
   * uniform strength, for a fair baseline. null (default) uses memorization.
   */
  readonly uniformScore: number | null;
}

/**
 * The per-sample RandAugment of one batch: sample i's ops are each applied with probability M_i at
 * strength min + (max - min) * M_i (times U(0,1) with `randomStrength`, i.e. a magnitude drawn
 * from [min, min + (max - min) * M_i]).
 */
export function boostedRandAugment(indices: Int32Array, scores: Float32Array, options: BoostedAugmentationOptions): RandAugmentPolicy {
  const n = indices.length;
  const probability = new Float32Array(n);
  const magnitudeLow = new Float32Array(n);
  const magnitudeHigh = new Float32Array(n);
  const { magnitudeMin, magnitudeMax, randomStrength, uniformScore } = options;
  const span = magnitudeMax - magnitudeMin;
  for (let i = 0; i < n; i++) {
    const score = uniformScore ?? scores[indices[i]];
    probability[i] = score;
    magnitudeHigh[i] = magnitudeMin + span * score;
    magnitudeLow[i] = randomStrength ? magnitudeMin : magnitudeHigh[i];
  }
  return { ops: options.ops, probability, magnitudeLow, magnitudeHigh };
}
