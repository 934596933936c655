import { SIMCLR_BASE_PIPELINE, type AugmentationStep, type ViewSpec } from '../../core/index';

/** The SimCLR base pipeline with BYOL's blur and solarize probabilities for one view. */
function byolPipeline(blur: number, solarize: number): AugmentationStep[] {
  return SIMCLR_BASE_PIPELINE.map((step) => {
    if (step.op === 'GaussianBlur') return { ...step, probability: blur };
    if (step.op === 'RandomSolarize') return { ...step, probability: solarize };
    return step;
  });
}

/**
 * BYOL's asymmetric views (Grill et al. 2020, table 6): Gaussian blur with probability 1.0 and 0.1,
 * solarization with probability 0 and 0.2. Crop, flip, colour jitter and grayscale, and the blur's
 * sigma range and solarize threshold, come from the recipe's `augmentation` section.
 */
export const BYOL_VIEWS: readonly ViewSpec[] = [{ pipeline: byolPipeline(1.0, 0) }, { pipeline: byolPipeline(0.1, 0.2) }];
