/**
 * Geometric ops: horizontal flip, and the RandAugment affine ops (shear, translate, rotate) as
 * PIL 9.4's `Image.transform(size, AFFINE, data)` / `Image.rotate(angle)` compute them with their
 * defaults: nearest neighbour, same output size, pixels mapped from outside filled with 0.
 */
import type { Image } from '../image';

/** Mirrors the image left to right (torchvision's hflip / PIL FLIP_LEFT_RIGHT). */
export function horizontalFlip(image: Image): Image {
  const { data, height, width, channels } = image;
  const out = new Uint8Array(data.length);
  const stride = width * channels;
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    for (let x = 0; x < width; x++) {
      const src = row + x * channels;
      const dst = row + (width - 1 - x) * channels;
      for (let c = 0; c < channels; c++) out[dst + c] = data[src + c];
    }
  }
  return { data: out, height, width, channels };
}

/** libImaging's COORD: -1 for negative coordinates, else truncation. */
function coord(v: number): number {
  return v < 0.0 ? -1 : Math.trunc(v);
}

function copyPixel(src: Uint8Array, si: number, dst: Uint8Array, di: number, channels: number): void {
  for (let c = 0; c < channels; c++) dst[di + c] = src[si + c];
}

/**
 * `Image.transform(size, AFFINE, [a, b, c, d, e, f])` with nearest neighbour: output pixel (x, y)
 * takes input pixel (a*x + b*y + c, d*x + e*y + f), sampled at pixel centres. Follows libImaging's
 * three code paths (pure scale/translate in doubles, general affine in 16.16 fixed point, and the
 * double fallback for huge coordinates), because they round differently.
 */
export function affineNearest(image: Image, m: readonly number[]): Image {
  const { data, height, width, channels } = image;
  const out = new Uint8Array(data.length);
  const stride = width * channels;
  const [a0, a1, a2, a3, a4, a5] = m;
  if (a1 === 0 && a3 === 0) {
    // ImagingScaleAffine: tabulate source columns once, walk rows with an accumulated double.
    const xin = new Int32Array(width);
    let xmin = width;
    let xmax = 0;
    let xo = a2 + a0 * 0.5;
    for (let x = 0; x < width; x++) {
      const xi = coord(xo);
      if (xi >= 0 && xi < width) {
        xmax = x + 1;
        if (x < xmin) xmin = x;
        xin[x] = xi;
      }
      xo += a0;
    }
    let yo = a5 + a4 * 0.5;
    for (let y = 0; y < height; y++) {
      const yi = coord(yo);
      if (yi >= 0 && yi < height) {
        for (let x = xmin; x < xmax; x++) copyPixel(data, yi * stride + xin[x] * channels, out, y * stride + x * channels, channels);
      }
      yo += a4;
    }
    return { data: out, height, width, channels };
  }
  const fits = (x: number, y: number): boolean =>
    Math.abs(x * a0 + y * a1 + a2) < 32768.0 && Math.abs(x * a3 + y * a4 + a5) < 32768.0;
  if (fits(0, 0) && fits(width, height) && fits(0, height) && fits(width, 0)) {
    // affine_fixed: 16.16 fixed point, FIX(v) = floor(v * 65536 + 0.5).
    const fix = (v: number): number => Math.floor(v * 65536.0 + 0.5) | 0;
    const f0 = fix(a0);
    const f1 = fix(a1);
    const f3 = fix(a3);
    const f4 = fix(a4);
    let rowX = fix(a2 + a0 * 0.5 + a1 * 0.5);
    let rowY = fix(a5 + a3 * 0.5 + a4 * 0.5);
    for (let y = 0; y < height; y++) {
      let xx = rowX;
      let yy = rowY;
      for (let x = 0; x < width; x++) {
        const xi = xx >> 16;
        if (xi >= 0 && xi < width) {
          const yi = yy >> 16;
          if (yi >= 0 && yi < height) copyPixel(data, yi * stride + xi * channels, out, y * stride + x * channels, channels);
        }
        xx = (xx + f0) | 0;
        yy = (yy + f3) | 0;
      }
      rowX = (rowX + f1) | 0;
      rowY = (rowY + f4) | 0;
    }
    return { data: out, height, width, channels };
  }
  let xo = a2 + a1 * 0.5 + a0 * 0.5;
  let yo = a5 + a4 * 0.5 + a3 * 0.5;
  for (let y = 0; y < height; y++) {
    let xx = xo;
    let yy = yo;
    for (let x = 0; x < width; x++) {
      const xi = coord(xx);
      if (xi >= 0 && xi < width) {
        const yi = coord(yy);
        if (yi >= 0 && yi < height) copyPixel(data, yi * stride + xi * channels, out, y * stride + x * channels, channels);
      }
      xx += a0;
      yy += a3;
    }
    xo += a1;
    yo += a4;
  }
  return { data: out, height, width, channels };
}

/** RandAugment ShearX: `transform(AFFINE, (1, shear, 0, 0, 1, 0))`; shear is signed. */
export function shearX(image: Image, shear: number): Image {
  return affineNearest(image, [1, shear, 0, 0, 1, 0]);
}

/** RandAugment ShearY: `transform(AFFINE, (1, 0, 0, shear, 1, 0))`; shear is signed. */
export function shearY(image: Image, shear: number): Image {
  return affineNearest(image, [1, 0, 0, shear, 1, 0]);
}

/**
 * RandAugment TranslateX: shift by `fraction * width` pixels (signed; positive moves content
 * left, as PIL's inverse mapping does).
 */
export function translateX(image: Image, fraction: number): Image {
  return affineNearest(image, [1, 0, fraction * image.width, 0, 1, 0]);
}

/** RandAugment TranslateY: shift by `fraction * height` pixels (signed; positive moves content up). */
export function translateY(image: Image, fraction: number): Image {
  return affineNearest(image, [1, 0, 0, 0, 1, fraction * image.height]);
}

/** Python's round(x, 15) for |x| <= 1: the nearest double to the 15-decimal rounding. */
function round15(x: number): number {
  return Number(x.toFixed(15));
}

/** 90-degree steps are exact pixel transposes in PIL; `turns` counter-clockwise quarter turns. */
function quarterTurn(image: Image, turns: 1 | 2 | 3): Image {
  const { data, height, width, channels } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Destination of source (x, y) for a counter-clockwise rotation (square when turns is odd).
      const dx = turns === 1 ? y : turns === 2 ? width - 1 - x : height - 1 - y;
      const dy = turns === 1 ? width - 1 - x : turns === 2 ? height - 1 - y : x;
      copyPixel(data, (y * width + x) * channels, out, (dy * width + dx) * channels, channels);
    }
  }
  return { data: out, height, width, channels };
}

/**
 * `Image.rotate(degrees)`: counter-clockwise about the image centre, same size, nearest neighbour,
 * corners filled with 0. Multiples of 180 (and of 90 on square images) take PIL's exact
 * transpose paths.
 */
export function rotate(image: Image, degrees: number): Image {
  // Python's % takes the divisor's sign.
  const angle = ((degrees % 360.0) + 360.0) % 360.0;
  if (angle === 0) return { ...image, data: image.data.slice() };
  if (angle === 180) return quarterTurn(image, 2);
  if ((angle === 90 || angle === 270) && image.width === image.height) return quarterTurn(image, angle === 90 ? 1 : 3);
  const cx = image.width / 2.0;
  const cy = image.height / 2.0;
  const rad = -(angle * (Math.PI / 180.0));
  const a = round15(Math.cos(rad));
  const b = round15(Math.sin(rad));
  const d = round15(-Math.sin(rad));
  const e = round15(Math.cos(rad));
  const c = a * -cx + b * -cy + 0.0 + cx;
  const f = d * -cx + e * -cy + 0.0 + cy;
  return affineNearest(image, [a, b, c, d, e, f]);
}
