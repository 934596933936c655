import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { applyRandAugment, randAugmentSettingsFromPolicy, sampleRandAugment } from './augment/rand-augment';
import { simclrAugmentation } from './augment/simclr';
import { simclrOptions } from './augment/simclr-options';
import type { BaseAugmentation, PolicyAugmentation } from './view-pipeline';

/** The base augmentation a recipe's `augmentation` section describes. */
export function createBaseAugmentation(spec: ResolvedRecipe['augmentation']): BaseAugmentation {
  if (spec.base === 'none') return (image) => image;
  const { base: _base, ...pipeline } = spec;
  return simclrAugmentation(simclrOptions(pipeline, 'recipe.augmentation'));
}

/** Applies a policy's per-sample RandAugment (the BCL add-on sets it) after the base augmentation. */
export function createPolicyAugmentation(): PolicyAugmentation {
  return (image, rng, policy, i) => {
    if (!policy.randAugment) return image;
    return applyRandAugment(image, sampleRandAugment(rng, image, randAugmentSettingsFromPolicy(policy.randAugment, i)));
  };
}
