/**
 * Per-pixel ("point") ops that PIL implements as 256-entry lookup tables: invert, solarize,
 * posterize, autocontrast and equalize. Each matches `PIL.ImageOps` 9.4 bit for bit, channel by
 * channel, on 1- and 3-channel images.
 */
import type { Image } from '../image';

/** The identity table, copied by ops that leave a channel untouched. */
const IDENTITY_LUT = Uint8Array.from({ length: 256 }, (_, i) => i);

/**
 * Maps every byte of `image` through `luts[channel]` (one table per channel, or one shared table).
 * Returns a new image; the input is not modified.
 */
export function applyLuts(image: Image, luts: readonly Uint8Array[]): Image {
  const { data, channels } = image;
  const out = new Uint8Array(data.length);
  if (luts.length === 1 || channels === 1) {
    const lut = luts[0];
    for (let i = 0; i < data.length; i++) out[i] = lut[data[i]];
  } else {
    for (let c = 0; c < channels; c++) {
      const lut = luts[c];
      for (let i = c; i < data.length; i += channels) out[i] = lut[data[i]];
    }
  }
  return { data: out, height: image.height, width: image.width, channels };
}

/** Per-channel 256-bin histograms, laid out channel after channel (PIL's `Image.histogram()`). */
export function channelHistograms(image: Image): Int32Array {
  const { data, channels } = image;
  const hist = new Int32Array(256 * channels);
  for (let c = 0; c < channels; c++) {
    const base = c * 256;
    for (let i = c; i < data.length; i += channels) hist[base + data[i]]++;
  }
  return hist;
}

/** `ImageOps.invert`: v -> 255 - v. */
export function invert(image: Image): Image {
  const lut = new Uint8Array(256);
  for (let i = 0; i < 256; i++) lut[i] = 255 - i;
  return applyLuts(image, [lut]);
}

/**
 * `ImageOps.solarize(image, threshold)`: values >= threshold are inverted. Threshold 0 inverts
 * everything, 256 nothing; fractional thresholds are allowed (the RandAugment range gives them).
 */
export function solarize(image: Image, threshold: number): Image {
  const lut = new Uint8Array(256);
  for (let i = 0; i < 256; i++) lut[i] = i < threshold ? i : 255 - i;
  return applyLuts(image, [lut]);
}

/**
 * `ImageOps.posterize(image, bits)`: keeps the `bits` most significant bits of each value.
 * `bits` is truncated to an integer and clamped to [1, 8], as the authors' `Posterize` does.
 */
export function posterize(image: Image, bits: number): Image {
  const keep = Math.min(8, Math.max(1, Math.trunc(bits)));
  const mask = ~((1 << (8 - keep)) - 1) & 0xff;
  const lut = new Uint8Array(256);
  for (let i = 0; i < 256; i++) lut[i] = i & mask;
  return applyLuts(image, [lut]);
}

/**
 * `ImageOps.autocontrast(image)` with cutoff 0: stretches each channel so its darkest value maps
 * to 0 and its brightest to 255. A channel with a single value is left unchanged.
 */
export function autoContrast(image: Image): Image {
  const hist = channelHistograms(image);
  const luts: Uint8Array[] = [];
  for (let c = 0; c < image.channels; c++) {
    const h = hist.subarray(c * 256, c * 256 + 256);
    let lo = 0;
    while (lo < 255 && h[lo] === 0) lo++;
    let hi = 255;
    while (hi > 0 && h[hi] === 0) hi--;
    if (hi <= lo) {
      luts.push(IDENTITY_LUT);
      continue;
    }
    // Same double arithmetic and truncation as PIL's Python loop, so the table is identical.
    const scale = 255.0 / (hi - lo);
    const offset = -lo * scale;
    const lut = new Uint8Array(256);
    for (let i = 0; i < 256; i++) {
      const v = Math.trunc(i * scale + offset);
      lut[i] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
    luts.push(lut);
  }
  return applyLuts(image, luts);
}

/**
 * `ImageOps.equalize(image)`: per-channel histogram equalisation with PIL's integer steps
 * (the last non-empty bin is left out of the step, so the brightest value maps to <= 255).
 * Channels with one value, or too few pixels for a step, are left unchanged.
 */
export function equalize(image: Image): Image {
  const hist = channelHistograms(image);
  const luts: Uint8Array[] = [];
  for (let c = 0; c < image.channels; c++) {
    const h = hist.subarray(c * 256, c * 256 + 256);
    let total = 0;
    let last = 0;
    let nonEmpty = 0;
    for (let i = 0; i < 256; i++) {
      if (h[i] !== 0) {
        total += h[i];
        last = h[i];
        nonEmpty++;
      }
    }
    const step = nonEmpty <= 1 ? 0 : Math.floor((total - last) / 255);
    if (step === 0) {
      luts.push(IDENTITY_LUT);
      continue;
    }
    const lut = new Uint8Array(256);
    let n = Math.floor(step / 2);
    for (let i = 0; i < 256; i++) {
      // Past the last non-empty bin n // step can pass 255; PIL's point() clips the table.
      lut[i] = Math.min(255, Math.floor(n / step));
      n += h[i];
    }
    luts.push(lut);
  }
  return applyLuts(image, luts);
}
