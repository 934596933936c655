/**
 * `PIL.ImageEnhance` semantics (what torchvision's adjust_brightness / adjust_contrast /
 * adjust_saturation / adjust_sharpness do on PIL images, and what the RandAugment ops
 * Brightness / Contrast / Color / Sharpness call): blend the image with a "degenerate" version of
 * itself, `out = degenerate + factor * (image - degenerate)`, using PIL's float32 `Image.blend`
 * arithmetic so every byte matches.
 */
import type { Image } from '../image';
import { applyLuts } from './point-ops';

/**
 * One blended byte exactly as libImaging's ImagingBlend computes it: alpha is a C float, the sum
 * is float32, factors in [0, 1] truncate, factors outside clip to [0, 255] first.
 */
function blendByte(degenerate: number, value: number, alpha: number): number {
  const t = Math.fround(degenerate + Math.fround(alpha * (value - degenerate)));
  if (alpha >= 0 && alpha <= 1) return Math.trunc(t);
  return t <= 0 ? 0 : t >= 255 ? 255 : Math.trunc(t);
}

/**
 * `Image.blend(degenerate, image, factor)` for same-shaped images: factor 0 gives `degenerate`,
 * 1 gives `image`, other values inter- or extrapolate.
 */
export function blend(degenerate: Image, image: Image, factor: number): Image {
  const alpha = Math.fround(factor);
  const a = degenerate.data;
  const b = image.data;
  const out = new Uint8Array(b.length);
  if (alpha === 0) out.set(a);
  else if (alpha === 1) out.set(b);
  else for (let i = 0; i < b.length; i++) out[i] = blendByte(a[i], b[i], alpha);
  return { data: out, height: image.height, width: image.width, channels: image.channels };
}

/** A table of `blendByte(degenerate, v, factor)` for a degenerate value shared by every pixel. */
function constantBlendLut(degenerate: number, factor: number): Uint8Array {
  const alpha = Math.fround(factor);
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    lut[v] = alpha === 0 ? degenerate : alpha === 1 ? v : blendByte(degenerate, v, alpha);
  }
  return lut;
}

/**
 * `ImageEnhance.Brightness(image).enhance(factor)`: blend with black. factor >= 0; 1 keeps the
 * image, 0 gives black. torchvision's ColorJitter(brightness=0.4) draws factor from [0.6, 1.4].
 */
export function adjustBrightness(image: Image, factor: number): Image {
  return applyLuts(image, [constantBlendLut(0, factor)]);
}

/** PIL's 'L' conversion of one RGB pixel (ITU-R 601-2 luma in 16-bit fixed point, rounded). */
export function luma(r: number, g: number, b: number): number {
  return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
}

/** The one-channel 'L' conversion of an image (a copy for 1-channel images). */
export function toLuma(image: Image): Uint8Array {
  const { data, channels } = image;
  if (channels === 1) return data.slice();
  const n = image.height * image.width;
  const out = new Uint8Array(n);
  for (let p = 0, i = 0; p < n; p++, i += 3) out[p] = luma(data[i], data[i + 1], data[i + 2]);
  return out;
}

/**
 * Grayscale as torchvision's `rgb_to_grayscale` on PIL images: PIL's 'L' conversion
 * (`L = R*299/1000 + G*587/1000 + B*114/1000`, in PIL's rounded fixed point), replicated to
 * `outputChannels` channels (default: as many as the input has, like RandomGrayscale).
 */
export function grayscale(image: Image, outputChannels: 1 | 3 = image.channels === 1 ? 1 : 3): Image {
  const l = toLuma(image);
  if (outputChannels === 1) return { data: l, height: image.height, width: image.width, channels: 1 };
  const out = new Uint8Array(l.length * 3);
  for (let p = 0, i = 0; p < l.length; p++, i += 3) {
    const v = l[p];
    out[i] = v;
    out[i + 1] = v;
    out[i + 2] = v;
  }
  return { data: out, height: image.height, width: image.width, channels: 3 };
}

/**
 * `ImageEnhance.Contrast(image).enhance(factor)`: blend with the rounded mean of the image's luma.
 * factor >= 0; 1 keeps the image, 0 gives flat grey.
 */
export function adjustContrast(image: Image, factor: number): Image {
  const l = toLuma(image);
  let sum = 0;
  for (let i = 0; i < l.length; i++) sum += l[i];
  // ImageStat's mean (exact integer sum / count, one double division), then int(mean + 0.5).
  const mean = Math.trunc(sum / l.length + 0.5);
  return applyLuts(image, [constantBlendLut(mean, factor)]);
}

/**
 * `ImageEnhance.Color(image).enhance(factor)` (torchvision's adjust_saturation): blend with the
 * image's own grayscale. factor >= 0; 0 gives grey, 1 keeps the image. Identity on 1 channel.
 */
export function adjustSaturation(image: Image, factor: number): Image {
  const { data, channels } = image;
  if (channels === 1) return { ...image, data: data.slice() };
  const alpha = Math.fround(factor);
  if (alpha === 0) return grayscale(image, 3);
  if (alpha === 1) return { ...image, data: data.slice() };
  // One pass: each pixel's luma is the degenerate value of its three bytes (no grey image built).
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i += 3) {
    const r = data[i];
    const g = data[i + 1];
    const b = data[i + 2];
    const l = luma(r, g, b);
    out[i] = blendByte(l, r, alpha);
    out[i + 1] = blendByte(l, g, alpha);
    out[i + 2] = blendByte(l, b, alpha);
  }
  return { data: out, height: image.height, width: image.width, channels };
}

/** ImageFilter.SMOOTH's 3x3 weights (1 1 1 / 1 5 1 / 1 1 1) / 13, as the C float kernel holds them. */
const SMOOTH_EDGE = Math.fround(1 / 13);
const SMOOTH_CENTRE = Math.fround(5 / 13);

/**
 * `image.filter(ImageFilter.SMOOTH)` as libImaging's ImagingFilter3x3 computes it: float32 sums
 * row below, centre row, row above, each left-centre-right, plus 0.5 for rounding; the one-pixel
 * border is copied unchanged.
 */
export function smooth(image: Image): Image {
  const { data, height, width, channels } = image;
  const out = data.slice();
  if (height < 3 || width < 3) return { data: out, height, width, channels };
  const stride = width * channels;
  const k0 = SMOOTH_EDGE;
  const k1 = SMOOTH_CENTRE;
  const f = Math.fround;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      for (let c = 0; c < channels; c++) {
        const i = y * stride + x * channels + c;
        const below = i + stride;
        const above = i - stride;
        // The centre row's middle weight is 5/13; the rows above and below use 1/13 throughout.
        const rowBelow = f(f(f(data[below - channels] * k0) + f(data[below] * k0)) + f(data[below + channels] * k0));
        const rowMid = f(f(f(data[i - channels] * k0) + f(data[i] * k1)) + f(data[i + channels] * k0));
        const rowAbove = f(f(f(data[above - channels] * k0) + f(data[above] * k0)) + f(data[above + channels] * k0));
        const s = f(f(f(0.5 + rowBelow) + rowMid) + rowAbove);
        out[i] = s <= 0 ? 0 : s >= 255 ? 255 : Math.trunc(s);
      }
    }
  }
  return { data: out, height, width, channels };
}

/**
 * `ImageEnhance.Sharpness(image).enhance(factor)`: blend with the SMOOTH-filtered image.
 * factor 0 blurs, 1 keeps, 2 sharpens.
 */
export function adjustSharpness(image: Image, factor: number): Image {
  return blend(smooth(image), image, factor);
}
