// A third-party add-on with a per-sample augmentation policy, written against the public exports only.
import { augmentationStep, definePlugin, extendPolicy, z, type PluginDefinition } from '../../core/index';
import { pixelNoiseOp } from './pixel-noise-op';

/** Options of `noise-boost`. */
export interface NoiseBoostOptions {
  /** Noise amplitude for odd dataset indices (even ones get none). */
  readonly amplitude: number;
  /** Crop scale range for even dataset indices (a parameter change of the base pipeline), or null. */
  readonly evenCropScale: [number, number] | null;
}

/**
 * Per sample: odd indices get PixelNoise appended after their base pipeline; even indices get
 * their RandomResizedCrop scale changed. Records what it was asked for.
 */
export function noiseBoostPlugin(seen: { batches: number }): PluginDefinition<NoiseBoostOptions> {
  return definePlugin<NoiseBoostOptions>({
    name: 'noise-boost',
    kind: 'addon',
    description: 'pixel noise for odd samples, a tighter crop for even ones',
    options: z.strictObject({
      amplitude: z.number().int().min(0).max(255).default(24),
      evenCropScale: z.tuple([z.number(), z.number()]).nullable().default(null),
    }),
    create: ({ options }) => ({
      hooks: {
        augmentationPolicy: (policy) => {
          seen.batches++;
          const noise = [augmentationStep(pixelNoiseOp, { amplitude: options.amplitude })];
          const crop = options.evenCropScale ? { RandomResizedCrop: { scale: options.evenCropScale } } : undefined;
          return extendPolicy(policy, (_, index) => (index % 2 === 1 ? { append: noise } : crop && { params: crop }));
        },
      },
    }),
  });
}
