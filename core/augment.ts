/**
 * The augmentation part of the public API, without tensors: what a module that defines
 * augmentation ops imports. Data worker threads load such modules (an op's `module`), so keeping
 * them off the main entry point (`core/index.ts`, which loads TensorFlow.js) keeps workers light.
 * Everything here is also exported from `core/index.ts`.
 */
import './data/augment/builtin-ops';

export { augmentationStep, defineAugmentationOp, type AugmentationOp, type AugmentationStep } from './data/augment/augmentation-op';
export { findAugmentationOp, registerAugmentationOp, registeredAugmentationOps } from './data/augment/op-registry';
export {
  applyRandAugment,
  DEFAULT_RAND_AUGMENT,
  randAugmentOp,
  sampleRandAugment,
  validateRandAugmentSettings,
  type RandAugmentParams,
  type RandAugmentSettings,
} from './data/augment/rand-augment';
export {
  applyRandAugmentOp,
  MAX_MAGNITUDE,
  RAND_AUGMENT_OPS,
  RAND_AUGMENT_RANGES,
  RandAugmentOpParamsSchema,
  randAugmentValue,
  type RandAugmentOpName,
  type RandAugmentOpParams,
  type RandAugmentStep,
} from './data/augment/rand-augment-ops';
export {
  colorJitterOp,
  gaussianBlurOp,
  randomGrayscaleOp,
  randomHorizontalFlipOp,
  randomResizedCropOp,
  randomSolarizeOp,
  SIMCLR_BASE_PIPELINE,
} from './data/augment/simclr-ops';
export { emptyPolicy, extendPolicy } from './data/augmentation-policy';
export type { ViewSpec } from './data/view-spec';
export type { Image } from './data/image';
export { Rng, deriveSeed, type RngState } from './random/rng';
export { BclError } from './errors';
/** zod, so op parameter schemas use the same copy as the pipeline compiler. */
export { z } from 'zod';
