/**
 * RandAugment Cutout as the BCL authors' code draws it: a filled square drawn with
 * `ImageDraw.rectangle`, whose corners are inclusive and truncated to integers.
 */
import type { Image } from '../image';

/** The authors' Cutout fill colour (RGB); 1-channel images use its first value. */
export const CUTOUT_FILL: readonly [number, number, number] = [125, 123, 114];

/**
 * Paints a square of side `fraction * width` pixels centred near (cx, cy) with `fill`:
 * x0 = int(max(0, cx - v/2)), x1 = min(width, x0 + v) (same for y), pixels x0..int(x1) inclusive,
 * clipped to the image. fraction <= 0 returns an unchanged copy. `cx`, `cy` are in pixels; the
 * authors draw them uniformly from [0, width) and [0, height).
 */
export function cutout(
  image: Image,
  fraction: number,
  cx: number,
  cy: number,
  fill: readonly number[] = CUTOUT_FILL,
): Image {
  const { data, height, width, channels } = image;
  const out = data.slice();
  if (!(fraction > 0)) return { data: out, height, width, channels };
  const v = fraction * width;
  const x0 = Math.trunc(Math.max(0, cx - v / 2));
  const y0 = Math.trunc(Math.max(0, cy - v / 2));
  const x1 = Math.min(Math.trunc(Math.min(width, x0 + v)), width - 1);
  const y1 = Math.min(Math.trunc(Math.min(height, y0 + v)), height - 1);
  const stride = width * channels;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * stride + x * channels;
      for (let c = 0; c < channels; c++) out[i + c] = fill[c];
    }
  }
  return { data: out, height, width, channels };
}
