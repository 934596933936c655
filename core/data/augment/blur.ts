/**
 * Gaussian blur as torchvision 0.14's `GaussianBlur(kernel_size, sigma)` applies it (BYOL's
 * pipeline): a normalised `kernelSize`-tap Gaussian per axis, reflect padding, result rounded to
 * bytes. torchvision convolves with the 2-D outer product in float32; doing the two separable passes
 * here in float64 gives the same values up to float rounding (at most 1 level at exact .5 ties).
 */
import { BclError } from '../../errors';
import type { Image } from '../image';

/** torchvision's `_get_gaussian_kernel1d`: taps at -(k-1)/2 .. (k-1)/2, normalised to sum 1. */
export function gaussianKernel1d(kernelSize: number, sigma: number): Float64Array {
  const kernel = new Float64Array(kernelSize);
  const half = (kernelSize - 1) * 0.5;
  let sum = 0;
  for (let i = 0; i < kernelSize; i++) {
    const x = (-half + i) / sigma;
    kernel[i] = Math.exp(-0.5 * x * x);
    sum += kernel[i];
  }
  for (let i = 0; i < kernelSize; i++) kernel[i] /= sum;
  return kernel;
}

/** Reflect padding ("abc|ba"), repeated when the pad exceeds the image (torch would refuse). */
function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - j;
}

/**
 * Blurs with a Gaussian of standard deviation `sigma` pixels over `kernelSize` taps (odd, >= 1;
 * BYOL uses ~10% of the image side, e.g. 23 at 224, and sigma drawn from [0.1, 2.0]).
 */
export function gaussianBlur(image: Image, sigma: number, kernelSize: number): Image {
  if (!(sigma > 0) || !Number.isInteger(kernelSize) || kernelSize < 1 || kernelSize % 2 === 0) {
    throw new BclError(
      'PLUGIN_FAILED',
      `gaussianBlur expected sigma > 0 and an odd kernelSize >= 1, but got sigma ${sigma}, kernelSize ${kernelSize}.`,
    );
  }
  const { data, height, width, channels } = image;
  const kernel = gaussianKernel1d(kernelSize, sigma);
  const half = (kernelSize - 1) >> 1;
  const stride = width * channels;

  // Horizontal pass: copy each row into a reflect-padded buffer, then convolve contiguously.
  const padded = new Float64Array((width + 2 * half) * channels);
  const tmp = new Float64Array(data.length);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    for (let x = 0; x < width + 2 * half; x++) {
      const src = row + reflectIndex(x - half, width) * channels;
      for (let c = 0; c < channels; c++) padded[x * channels + c] = data[src + c];
    }
    for (let i = 0; i < stride; i++) {
      let acc = 0;
      for (let k = 0, j = i; k < kernelSize; k++, j += channels) acc += kernel[k] * padded[j];
      tmp[row + i] = acc;
    }
  }

  // Vertical pass: each tap adds a whole (reflected) source row into the accumulator row.
  const out = new Uint8Array(data.length);
  const acc = new Float64Array(stride);
  for (let y = 0; y < height; y++) {
    acc.fill(0);
    for (let k = 0; k < kernelSize; k++) {
      const w = kernel[k];
      const src = reflectIndex(y + k - half, height) * stride;
      for (let i = 0; i < stride; i++) acc[i] += w * tmp[src + i];
    }
    const dst = y * stride;
    for (let i = 0; i < stride; i++) {
      // torch.round is half-to-even; the result is clamped to the byte range.
      const a = acc[i];
      let r = Math.round(a);
      if (r - a === 0.5 && r % 2 !== 0) r -= 1;
      out[dst + i] = r < 0 ? 0 : r > 255 ? 255 : r;
    }
  }
  return { data: out, height, width, channels };
}
