import { z } from '../../core/index';

/**
 * Recipe options of `"method": { "name": "simsiam", ... }`: SimSiam (Chen & He 2021, "Exploring
 * Simple Siamese Representation Learning"). The paper's ImageNet values are given on each field.
 */
export const SimsiamOptionsSchema = z.strictObject({
  /**
   * Width of the projector's layers and output, and of the predictor's output. SimSiam: 2048, the
   * feature width of its ResNet-50. 0 means the backbone's feature width. Default 0.
   */
  projectionDim: z.number().int().min(0).default(0),
  /**
   * Bottleneck width of the predictor (Linear-BN-ReLU-Linear). SimSiam: 512, a quarter of the
   * projection width. 0 means a quarter of the projection width (at least 1). Default 0.
   */
  predictorHiddenDim: z.number().int().min(0).default(0),
  /**
   * Linear layers of the projector, each followed by BatchNorm (ReLU between them; the last BN has
   * no affine terms). SimSiam: 3 on ImageNet, 2 in its CIFAR experiments. Default 3.
   */
  projectorLayers: z.number().int().min(1).max(8).default(3),
});

/** SimSiam options after validation, with defaults filled in. */
export type SimsiamOptions = z.output<typeof SimsiamOptionsSchema>;
