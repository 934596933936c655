/**
 * The SimCLR base pipeline (torchvision 0.14 on PIL images), split into a sampler that makes every
 * random draw from a seeded Rng and an apply step that is a pure function of the drawn parameters:
 * RandomResizedCrop (bicubic) -> RandomHorizontalFlip -> RandomApply(ColorJitter) ->
 * RandomGrayscale, plus BYOL's optional GaussianBlur and RandomSolarize at the end.
 */
import type { Rng } from '../../random/rng';
import type { Image } from '../image';
import { gaussianBlur } from './blur';
import { adjustBrightness, adjustContrast, adjustSaturation, grayscale } from './enhance';
import { horizontalFlip } from './geometry';
import { adjustHue } from './hue';
import { solarize } from './point-ops';
import { resizedCrop } from './resize';
import { type ColorJitterOptions, type SimclrOptionsInput, simclrOptions } from './simclr-options';

/** The four colour-jitter adjustments, in torchvision's fn_idx numbering (0..3). */
export type ColorJitterOp = 'brightness' | 'contrast' | 'saturation' | 'hue';
const JITTER_OPS: readonly ColorJitterOp[] = ['brightness', 'contrast', 'saturation', 'hue'];

/** Drawn colour-jitter factors; null for an adjustment whose strength is 0 (skipped). */
export interface ColorJitterParams {
  /** Order the adjustments are applied in (a permutation of the four). */
  readonly order: readonly ColorJitterOp[];
  readonly brightness: number | null;
  readonly contrast: number | null;
  readonly saturation: number | null;
  /** Fraction of a full hue turn, in [-0.5, 0.5]. */
  readonly hue: number | null;
}

/** Every random draw of one SimCLR view; `applySimclr` is a pure function of these. */
export interface SimclrParams {
  /** Crop window in input pixels (rows top..top+height-1, columns left..left+width-1). */
  readonly crop: { readonly top: number; readonly left: number; readonly height: number; readonly width: number };
  readonly outputHeight: number;
  readonly outputWidth: number;
  readonly flip: boolean;
  /** null when the jitter's RandomApply did not fire. */
  readonly colorJitter: ColorJitterParams | null;
  readonly grayscale: boolean;
  /** Blur sigma in pixels, or null for no blur. */
  readonly blurSigma: number | null;
  /** Blur kernel taps (odd). */
  readonly blurKernelSize: number;
  /** Solarize threshold, or null for no solarize. */
  readonly solarizeThreshold: number | null;
}

/** Python's round(): ties to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * torchvision's RandomResizedCrop.get_params: up to 10 tries of (area fraction ~ U(scale),
 * log aspect ~ U(log ratio)), accepting the first window that fits; otherwise the central crop
 * clamped to the ratio range.
 */
export function sampleResizedCrop(
  rng: Rng,
  shape: Pick<Image, 'height' | 'width'>,
  scale: readonly [number, number],
  ratio: readonly [number, number],
): SimclrParams['crop'] {
  const { height, width } = shape;
  const area = height * width;
  const logLow = Math.log(ratio[0]);
  const logHigh = Math.log(ratio[1]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * rng.uniform(scale[0], scale[1]);
    const aspect = Math.exp(rng.uniform(logLow, logHigh));
    const w = roundHalfEven(Math.sqrt(targetArea * aspect));
    const h = roundHalfEven(Math.sqrt(targetArea / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      const top = rng.int(height - h + 1);
      const left = rng.int(width - w + 1);
      return { top, left, height: h, width: w };
    }
  }
  const inRatio = width / height;
  const minRatio = Math.min(ratio[0], ratio[1]);
  const maxRatio = Math.max(ratio[0], ratio[1]);
  let w = width;
  let h = height;
  if (inRatio < minRatio) h = roundHalfEven(w / minRatio);
  else if (inRatio > maxRatio) {
    h = height;
    w = roundHalfEven(h * maxRatio);
  }
  return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), height: h, width: w };
}

/** BYOL's blur kernel: about 10% of the output side, made odd, at least 3 (23 at 224, 3 at 32). */
export function defaultBlurKernel(side: number): number {
  return Math.max(3, 2 * Math.floor((0.1 * side) / 2) + 1);
}

/**
 * Draws one view's SimCLR parameters from `rng`, in torchvision's order: crop, flip, jitter
 * (apply?, order, factors), grayscale, then blur and solarize. `options` is any subset of
 * `SimclrOptions` (`simclrOptions()` fills defaults and validates, once per options object). The output size
 * defaults to the input size.
 */
export function sampleSimclrParams(rng: Rng, imageShape: Pick<Image, 'height' | 'width'>, options: SimclrOptionsInput = {}): SimclrParams {
  const o = simclrOptions(options);
  const [outputHeight, outputWidth] = o.outputSize ?? [imageShape.height, imageShape.width];
  const crop = sampleResizedCrop(rng, imageShape, o.cropScale, o.cropRatio);
  const flip = rng.next() < o.flip;
  const colorJitter = sampleColorJitter(rng, o.colorJitter);
  const gray = rng.next() < o.grayscale;
  const blurSigma = o.blur.probability > 0 && rng.next() < o.blur.probability ? rng.uniform(o.blur.sigma[0], o.blur.sigma[1]) : null;
  const blurKernelSize = o.blur.kernelSize ?? defaultBlurKernel(Math.min(outputHeight, outputWidth));
  const solarizeThreshold = o.solarize.probability > 0 && rng.next() < o.solarize.probability ? o.solarize.threshold : null;
  return {
    crop,
    outputHeight,
    outputWidth,
    flip,
    colorJitter,
    grayscale: gray,
    blurSigma,
    blurKernelSize,
    solarizeThreshold,
  };
}

/**
 * torchvision's RandomApply([ColorJitter(...)], p): applies when U <= p, then a random order of
 * the four adjustments and their factors; null when the RandomApply did not fire.
 */
export function sampleColorJitter(rng: Rng, o: ColorJitterOptions): ColorJitterParams | null {
  // RandomApply skips when p < U, i.e. applies when U <= p.
  if (!(rng.next() <= o.probability)) return null;
  const order = rng.shuffle([...JITTER_OPS]);
  const factor = (strength: number): number | null => (strength === 0 ? null : rng.uniform(Math.max(0, 1 - strength), 1 + strength));
  const brightness = factor(o.brightness);
  const contrast = factor(o.contrast);
  const saturation = factor(o.saturation);
  const hue = o.hue === 0 ? null : rng.uniform(-o.hue, o.hue);
  return { order, brightness, contrast, saturation, hue };
}

/** Applies drawn colour-jitter factors in their drawn order; returns a new image (or `image` when all are null). */
export function applyColorJitter(image: Image, jitter: ColorJitterParams): Image {
  let out = image;
  for (const op of jitter.order) {
    const f = jitter[op];
    if (f === null) continue;
    if (op === 'brightness') out = adjustBrightness(out, f);
    else if (op === 'contrast') out = adjustContrast(out, f);
    else if (op === 'saturation') out = adjustSaturation(out, f);
    else out = adjustHue(out, f);
  }
  return out;
}

/** Applies drawn SimCLR parameters; a pure function of (image, params). Returns a new image. */
export function applySimclr(image: Image, params: SimclrParams): Image {
  const { crop } = params;
  let out = resizedCrop(image, crop.top, crop.left, crop.height, crop.width, params.outputHeight, params.outputWidth);
  if (params.flip) out = horizontalFlip(out);
  if (params.colorJitter !== null) out = applyColorJitter(out, params.colorJitter);
  if (params.grayscale) out = grayscale(out);
  if (params.blurSigma !== null) out = gaussianBlur(out, params.blurSigma, params.blurKernelSize);
  if (params.solarizeThreshold !== null) out = solarize(out, params.solarizeThreshold);
  return out;
}

/** A base augmentation `(image, rng) => view` for the view pipeline, with options fixed. */
export function simclrAugmentation(options: SimclrOptionsInput = {}): (image: Image, rng: Rng) => Image {
  const resolved = simclrOptions(options);
  return (image, rng) => applySimclr(image, sampleSimclrParams(rng, image, resolved));
}
