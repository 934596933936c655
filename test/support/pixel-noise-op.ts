// A third-party augmentation op, written against the tensor-free public entry point only. It
// registers itself when this module loads, and names this file as its `module`, so the data worker
// threads load it too when a base pipeline uses it.
import { defineAugmentationOp, registerAugmentationOp, z } from '../../core/augment';

/** Main-thread applications of the op (worker threads count their own). */
export const pixelNoiseCalls = { count: 0 };

/** Adds uniform integer noise in [-amplitude, amplitude] to every value, with probability `probability`. */
export const pixelNoiseOp = defineAugmentationOp({
  name: 'PixelNoise',
  description: 'uniform integer noise of +-amplitude levels on every value',
  params: z.strictObject({
    amplitude: z.number().int().min(0).max(255).default(8),
    probability: z.number().min(0).max(1).default(1),
  }),
  module: __filename,
  apply(image, p, rng) {
    pixelNoiseCalls.count++;
    if (p.amplitude === 0 || !(rng.next() < p.probability)) return image;
    const data = new Uint8Array(image.data.length);
    for (let i = 0; i < data.length; i++) {
      const noisy = image.data[i] + rng.int(2 * p.amplitude + 1) - p.amplitude;
      data[i] = noisy < 0 ? 0 : noisy > 255 ? 255 : noisy;
    }
    return { ...image, data };
  },
});

registerAugmentationOp(pixelNoiseOp);
