/**
 * Bicubic resampling exactly as Pillow 9.4's `Image.resize(size, BICUBIC)` computes it
 * (libImaging/Resample.c): a separable a=-0.5 cubic kernel whose support is widened by the scale
 * factor when downsampling (antialiasing), coefficients normalised per output pixel and quantised
 * to 22-bit fixed point, a horizontal pass rounded to bytes, then a vertical pass.
 */
import { BclError } from '../../errors';
import type { Image } from '../image';

/** Fixed-point precision of the 8-bit coefficients (PRECISION_BITS = 32 - 8 - 2). */
const PRECISION_BITS = 22;
const HALF = 1 << (PRECISION_BITS - 1);
const ONE = 1 << PRECISION_BITS;
/** The bicubic kernel's support at scale 1. */
const BICUBIC_SUPPORT = 2.0;

/** Keys's cubic with a = -0.5, as Pillow defines it. */
function bicubicFilter(x: number): number {
  const a = -0.5;
  if (x < 0.0) x = -x;
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

/** Per-output-pixel source windows and fixed-point weights along one axis. */
export interface ResampleCoefficients {
  /** Maximum taps per output pixel. */
  readonly ksize: number;
  /** [first source index, tap count] per output pixel. */
  readonly bounds: Int32Array;
  /** outSize * ksize fixed-point weights (unused taps are 0). */
  readonly weights: Int32Array;
}

/**
 * Pillow's precompute_coeffs + normalize_coeffs_8bpc for resampling the source span
 * [0, inSize) to outSize pixels.
 */
export function bicubicCoefficients(inSize: number, outSize: number): ResampleCoefficients {
  const scale = inSize / outSize;
  const filterscale = scale < 1.0 ? 1.0 : scale;
  const support = BICUBIC_SUPPORT * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  const ss = 1.0 / filterscale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = 0 + (xx + 0.5) * scale;
    // (int) casts in C truncate toward zero.
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0.0;
    for (let x = 0; x < xmax; x++) {
      const w = bicubicFilter((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const w = ww !== 0.0 ? k[x] / ww : k[x];
      weights[xx * ksize + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { ksize, bounds, weights };
}

/** Coefficients depend only on (inSize, outSize); crops repeat sizes often, so keep a few. */
const coefficientCache = new Map<number, ResampleCoefficients>();
const CACHE_LIMIT = 512;

function cachedCoefficients(inSize: number, outSize: number): ResampleCoefficients {
  const key = inSize * 65536 + outSize;
  let coeffs = coefficientCache.get(key);
  if (coeffs === undefined) {
    if (coefficientCache.size >= CACHE_LIMIT) coefficientCache.clear();
    coeffs = bicubicCoefficients(inSize, outSize);
    coefficientCache.set(key, coeffs);
  }
  return coeffs;
}

/** Pillow's clip8 on a fixed-point accumulator: arithmetic shift (floor), then clamp. */
function clip8(acc: number): number {
  const v = acc >> PRECISION_BITS;
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/**
 * One row of the horizontal pass: output pixel xx sums taps bounds[2xx+1] source pixels from
 * bounds[2xx]. Accumulators stay below 2^31: |weights| sum to about 1.1 * 2^22 and values <= 255.
 */
function horizontalRow(
  src: Uint8Array,
  srcRow: number,
  dst: Uint8Array,
  dstRow: number,
  channels: number,
  outWidth: number,
  { ksize, bounds, weights }: ResampleCoefficients,
): void {
  let d = dstRow;
  if (channels === 3) {
    // RGB, the common case, with the three channels accumulated together as libImaging does.
    for (let xx = 0; xx < outWidth; xx++) {
      const taps = bounds[xx * 2 + 1];
      const kbase = xx * ksize;
      let s = srcRow + bounds[xx * 2] * 3;
      let a0 = HALF;
      let a1 = HALF;
      let a2 = HALF;
      for (let x = 0; x < taps; x++, s += 3) {
        const w = weights[kbase + x];
        a0 += src[s] * w;
        a1 += src[s + 1] * w;
        a2 += src[s + 2] * w;
      }
      dst[d++] = clip8(a0);
      dst[d++] = clip8(a1);
      dst[d++] = clip8(a2);
    }
    return;
  }
  for (let xx = 0; xx < outWidth; xx++) {
    const taps = bounds[xx * 2 + 1];
    const kbase = xx * ksize;
    for (let c = 0; c < channels; c++) {
      let acc = HALF;
      let s = srcRow + bounds[xx * 2] * channels + c;
      for (let x = 0; x < taps; x++, s += channels) acc += src[s] * weights[kbase + x];
      dst[d++] = clip8(acc);
    }
  }
}

/**
 * Crops rows [top, top+height) and columns [left, left+width) and resizes the crop to
 * outHeight x outWidth with bicubic resampling, byte-identical to torchvision's
 * `resized_crop(img, top, left, height, width, size, BICUBIC)` on a PIL image (PIL crops first,
 * so the kernel never reaches outside the crop). The crop must lie inside the image.
 */
export function resizedCrop(
  image: Image,
  top: number,
  left: number,
  height: number,
  width: number,
  outHeight: number,
  outWidth: number,
): Image {
  const { data, channels } = image;
  if (
    !Number.isInteger(top) || !Number.isInteger(left) || !Number.isInteger(height) || !Number.isInteger(width) ||
    top < 0 || left < 0 || height < 1 || width < 1 || top + height > image.height || left + width > image.width ||
    !Number.isInteger(outHeight) || !Number.isInteger(outWidth) || outHeight < 1 || outWidth < 1
  ) {
    throw new BclError(
      'PLUGIN_FAILED',
      `resizedCrop expected an integral crop inside the ${image.height}x${image.width} image and a positive ` +
        `output size, but got crop (top ${top}, left ${left}, ${height}x${width}) -> ${outHeight}x${outWidth}.`,
      { hint: 'Draw crops with sampleResizedCrop, or clamp them to the image.' },
    );
  }
  const srcStride = image.width * channels;
  const needHorizontal = outWidth !== width;
  const needVertical = outHeight !== height;

  // Horizontal pass over only the crop rows the vertical pass will read.
  const vert = cachedCoefficients(height, outHeight);
  const firstRow = needVertical ? vert.bounds[0] : 0;
  const rows = needVertical ? vert.bounds[outHeight * 2 - 2] + vert.bounds[outHeight * 2 - 1] - firstRow : height;
  const tmpStride = outWidth * channels;
  const tmp = new Uint8Array(rows * tmpStride);
  if (needHorizontal) {
    const horiz = cachedCoefficients(width, outWidth);
    for (let y = 0; y < rows; y++) {
      const srcRow = (top + firstRow + y) * srcStride + left * channels;
      horizontalRow(data, srcRow, tmp, y * tmpStride, channels, outWidth, horiz);
    }
  } else {
    for (let y = 0; y < rows; y++) {
      const src = (top + firstRow + y) * srcStride + left * channels;
      tmp.set(data.subarray(src, src + tmpStride), y * tmpStride);
    }
  }
  if (!needVertical) return { data: tmp, height: outHeight, width: outWidth, channels };

  // Vertical pass row by row: each tap adds a whole contiguous row, which the JIT keeps in int32.
  const out = new Uint8Array(outHeight * tmpStride);
  const acc = new Int32Array(tmpStride);
  const { ksize, bounds, weights } = vert;
  for (let yy = 0; yy < outHeight; yy++) {
    acc.fill(HALF);
    // Bounds are relative to the crop; tmp starts at crop row firstRow.
    const ymin = bounds[yy * 2] - firstRow;
    const taps = bounds[yy * 2 + 1];
    for (let y = 0; y < taps; y++) {
      const w = weights[yy * ksize + y];
      const src = (ymin + y) * tmpStride;
      for (let i = 0; i < tmpStride; i++) acc[i] += tmp[src + i] * w;
    }
    const dst = yy * tmpStride;
    for (let i = 0; i < tmpStride; i++) out[dst + i] = clip8(acc[i]);
  }
  return { data: out, height: outHeight, width: outWidth, channels };
}
