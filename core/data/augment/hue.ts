/**
 * Hue shift as torchvision 0.14's `adjust_hue` does it on PIL images: convert to PIL's 8-bit HSV,
 * add `uint8(factor * 255)` to H with uint8 wraparound, convert back. The two conversions follow
 * libImaging's rgb2hsv / hsv2rgb, including where C mixes float and double arithmetic, so the
 * output matches PIL byte for byte.
 */
import type { Image } from '../image';

const f32 = Math.fround;

/**
 * The H byte PIL's RGB->HSV conversion gives (S and V are not needed: S is recomputed the same
 * way below and V is max(r, g, b)).
 */
function hueByte(r: number, g: number, b: number, maxc: number, minc: number): number {
  const cr = maxc - minc;
  // rc/gc/bc are C floats; h mixes them with double literals, then is stored as a float.
  const rc = f32((maxc - r) / cr);
  const gc = f32((maxc - g) / cr);
  const bc = f32((maxc - b) / cr);
  let h: number;
  if (r === maxc) h = f32(bc - gc);
  else if (g === maxc) h = f32(2.0 + rc - bc);
  else h = f32(4.0 + gc - rc);
  h = f32((h / 6.0 + 1.0) % 1.0);
  const v = Math.trunc(h * 255.0);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

function clip8(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
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
    if (maxc === minc) {
      // S = 0 round-trips to grey whatever H becomes.
      out[i] = maxc;
      out[i + 1] = maxc;
      out[i + 2] = maxc;
      continue;
    }
    const s = clip8(Math.trunc(f32(f32(maxc - minc) / maxc) * 255.0));
    const v = maxc;
    if (s === 0) {
      out[i] = v;
      out[i + 1] = v;
      out[i + 2] = v;
      continue;
    }
    const h = (hueByte(r, g, b, maxc, minc) + shift) & 0xff;
    // hsv2rgb: i and f from double h*6/255, f and fs stored as floats; p, q, t rounded half away.
    const h6 = (h * 6.0) / 255.0;
    const sector = Math.floor(h6);
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
