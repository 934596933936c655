/**
 * Gaussian blur as torchvision 0.14's `GaussianBlur(kernel_size, sigma)` applies it (BYOL's
 * pipeline): a normalised `kernelSize`-tap Gaussian per axis, reflect padding, result rounded to
 * bytes. torchvision convolves with the 2-D outer product in float32; doing the two separable passes
 * here in float64 gives the same values up to float rounding (at most 1 level at exact .5 ties).
 */
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
    throw new RangeError(`gaussianBlur: sigma must be > 0 and kernelSize odd and >= 1, but got sigma ${sigma}, kernelSize ${kernelSize}`);
  }
  const { data, height, width, channels } = image;
  const kernel = gaussianKernel1d(kernelSize, sigma);
  const half = (kernelSize - 1) >> 1;
  const stride = width * channels;
  // Source column / row of every padded tap, computed once instead of per pixel.
  const colIndex = new Int32Array(width + 2 * half);
  for (let i = 0; i < colIndex.length; i++) colIndex[i] = reflectIndex(i - half, width) * channels;
  const rowIndex = new Int32Array(height + 2 * half);
  for (let i = 0; i < rowIndex.length; i++) rowIndex[i] = reflectIndex(i - half, height) * stride;

  const tmp = new Float64Array(data.length);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = 0; k < kernelSize; k++) acc += kernel[k] * data[row + colIndex[x + k] + c];
        tmp[row + x * channels + c] = acc;
      }
    }
  }
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < stride; i++) {
      let acc = 0;
      for (let k = 0; k < kernelSize; k++) acc += kernel[k] * tmp[rowIndex[y + k] + i];
      // torch.round is half-to-even; with clamping to the byte range.
      let r = Math.round(acc);
      if (r - acc === 0.5 && r % 2 !== 0) r -= 1;
      out[y * stride + i] = r < 0 ? 0 : r > 255 ? 255 : r;
    }
  }
  return { data: out, height, width, channels };
}
