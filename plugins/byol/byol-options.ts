import { z } from '../../core/index';

/**
 * Recipe options of `"method": { "name": "byol", ... }`: BYOL (Grill et al. 2020, "Bootstrap Your
 * Own Latent"). The paper's ImageNet values are given on each field.
 */
export const ByolOptionsSchema = z.strictObject({
  /**
   * Base rate tau_base of the target network's moving average; tau rises from it to 1 on a cosine
   * over the run's steps. BYOL: 0.996. Default 0.996.
   */
  baseMomentum: z.number().min(0).max(1).default(0.996),
  /** Output width of the projector and the predictor. BYOL: 256. Default 256. */
  projectionDim: z.number().int().positive().default(256),
  /**
   * Hidden width of the projector and the predictor (Linear-BN-ReLU-Linear). BYOL: 4096, twice
   * ResNet-50's 2048 features. 0 means twice the backbone's feature width (4096 for ResNet-50, 128
   * for a width-8 ResNet-18), which keeps small backbones' heads small. Default 0.
   */
  hiddenDim: z.number().int().min(0).default(0),
});

/** BYOL options after validation, with defaults filled in. */
export type ByolOptions = z.output<typeof ByolOptionsSchema>;
