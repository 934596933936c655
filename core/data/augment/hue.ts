/**
 * Hue shift as torchvision 0.14's `adjust_hue` does it on PIL images: convert to PIL's 8-bit HSV,
 * add `uint8(factor * 255)` to H with uint8 wraparound, convert back. The two conversions follow
 * libImaging's rgb2hsv / hsv2rgb, including where C mixes float and double arithmetic, so the
 * output matches PIL byte for byte.
 */
import type { Image } from '../image';

const f32 = Math.fround;

function clip8(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/**
 * The H byte of PIL's RGB->HSV conversion (rgb2hsv). rc/gc/bc are C floats; h mixes them with
 * double literals and is stored as a float, so each step is rounded where C rounds it.
 */
function hueByte(r: number, g: number, b: number, maxc: number, cr: number): number {
  const rc = f32((maxc - r) / cr);
  const gc = f32((maxc - g) / cr);
  const bc = f32((maxc - b) / cr);
  let h: number;
  if (r === maxc) h = f32(bc - gc);
  else if (g === maxc) h = f32(2.0 + rc - bc);
  else h = f32(4.0 + gc - rc);
  // fmod(h / 6 + 1, 1): the argument lies in [5/6, 11/6], where subtracting 1 is exact, and a
  // double `%` would compile to a slow runtime call.
  const x = h / 6.0 + 1.0;
  h = f32(x >= 1.0 ? x - 1.0 : x);
  return clip8(Math.trunc(h * 255.0));
}

/**
 * Shifts the hue of an RGB image by `factor` of a full turn (factor in [-0.5, 0.5]; ColorJitter's
 * hue=0.1 draws it from [-0.1, 0.1]). 1-channel images are returned unchanged (copied), as
 * torchvision does for 'L' images.
 */
export function adjustHue(image: Image, factor: number): Image {
  const { data, channels } = image;
  if (channels === 1) return { ...image, data: data.slice() };
  // numpy's uint8(x) truncates toward zero, then wraps modulo 256.
  const shift = ((Math.trunc(factor * 255) % 256) + 256) % 256;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i += 3) {
    const r = data[i];
    const g = data[i + 1];
    const b = data[i + 2];
    const maxc = r > g ? (r > b ? r : b) : g > b ? g : b;
    const minc = r < g ? (r < b ? r : b) : g < b ? g : b;
    const cr = maxc - minc;
    // S = 0 (including max == min, where PIL sets H = S = 0) round-trips to grey V, V, V.
    const s = cr === 0 ? 0 : clip8(Math.trunc(f32(cr / maxc) * 255.0));
    const v = maxc;
    if (s === 0) {
      out[i] = v;
      out[i + 1] = v;
      out[i + 2] = v;
      continue;
    }
    const h = (hueByte(r, g, b, maxc, cr) + shift) & 0xff;
    // hsv2rgb: sector and f from the double h*6/255, f and fs stored as C floats; p, q, t are
    // rounded half away from zero (Math.round agrees for these non-negative values).
    const h6 = (h * 6.0) / 255.0;
    const sector = Math.floor(h6) | 0;
    const frac = f32(h6 - sector);
    const fs = f32(s / 255.0);
    const p = clip8(Math.round(v * (1.0 - fs)));
    const q = clip8(Math.round(v * (1.0 - f32(fs * frac))));
    const t = clip8(Math.round(v * (1.0 - fs * (1.0 - frac))));
    switch (sector % 6) {
      case 0:
        out[i] = v;
        out[i + 1] = t;
        out[i + 2] = p;
        break;
      case 1:
        out[i] = q;
        out[i + 1] = v;
        out[i + 2] = p;
        break;
      case 2:
        out[i] = p;
        out[i + 1] = v;
        out[i + 2] = t;
        break;
      case 3:
        out[i] = p;
        out[i + 1] = q;
        out[i + 2] = v;
        break;
      case 4:
        out[i] = t;
        out[i + 1] = p;
        out[i + 2] = v;
        break;
      default:
        out[i] = v;
        out[i + 1] = p;
        out[i + 2] = q;
    }
  }
  return { data: out, height: image.height, width: image.width, channels: 3 };
}
