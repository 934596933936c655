/**
 * Image augmentations over typed arrays (uint8 HWC, 1 or 3 channels), matching PIL 9.4 /
 * torchvision 0.14 on PIL images. Every op takes explicit parameters and returns a new image;
 * samplers draw those parameters from a seeded `Rng`, so a view is a function of its seed.
 * See docs/augmentations.md.
 */
export { gaussianBlur, gaussianKernel1d } from './blur';
export { CUTOUT_FILL, cutout } from './cutout';
export {
  adjustBrightness,
  adjustContrast,
  adjustSaturation,
  adjustSharpness,
  blend,
  grayscale,
  luma,
  smooth,
  toLuma,
} from './enhance';
export { affineNearest, horizontalFlip, rotate, shearX, shearY, translateX, translateY } from './geometry';
export { adjustHue } from './hue';
export { applyLuts, autoContrast, channelHistograms, equalize, invert, posterize, solarize } from './point-ops';
export {
  applyRandAugment,
  bclRandAugmentSettings,
  DEFAULT_RAND_AUGMENT,
  RandAugment,
  randAugmentSettingsFromPolicy,
  sampleRandAugment,
  validateRandAugmentSettings,
  type BclRandAugmentOptions,
  type RandAugmentSettings,
} from './rand-augment';
export {
  applyRandAugmentOp,
  isSignedOp,
  MAX_MAGNITUDE,
  RAND_AUGMENT_OPS,
  RAND_AUGMENT_RANGES,
  randAugmentValue,
  type RandAugmentOpName,
  type RandAugmentStep,
} from './rand-augment-ops';
export { bicubicCoefficients, resizedCrop, type ResampleCoefficients } from './resize';
export {
  applySimclr,
  sampleResizedCrop,
  sampleSimclrParams,
  simclrAugmentation,
  type ColorJitterOp,
  type ColorJitterParams,
  type SimclrParams,
} from './simclr';
export {
  DEFAULT_SIMCLR_OPTIONS,
  simclrOptions,
  type BlurOptions,
  type ColorJitterOptions,
  type SimclrOptions,
  type SimclrOptionsInput,
  type SolarizeOptions,
} from './simclr-options';
