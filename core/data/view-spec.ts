import type { AugmentationStep } from './augment/augmentation-op';

/**
 * One view a method asks for: its base pipeline as data. Parameters a step leaves out come from
 * the recipe's `augmentation` section (its shared settings for that op), then the op's defaults.
 * An object rather than a bare list so that multi-crop (views of other sizes, several crops of one
 * kind) can add fields later without changing what methods already declare.
 */
export interface ViewSpec {
  readonly pipeline: readonly AugmentationStep[];
}
