import { z } from '../../core/index';

/**
 * Recipe options of `"method": { "name": "moco", ... }`: MoCo v2 (Chen et al. 2020, "Improved
 * Baselines with Momentum Contrastive Learning"). Defaults are the CIFAR-size settings of the
 * authors' CIFAR-10 demo; the ImageNet values are given on each field.
 */
export const MocoOptionsSchema = z.strictObject({
  /** InfoNCE temperature. MoCo v2: 0.2 (v1: 0.07). Default 0.2. */
  temperature: z.number().gt(0).default(0.2),
  /**
   * Momentum m of the key encoder, `key = m * key + (1 - m) * query` after every step.
   * Default 0.99 (the authors' CIFAR demo); MoCo v2 on ImageNet: 0.999.
   */
  momentum: z.number().min(0).lt(1).default(0.99),
  /**
   * K, the number of negative keys in the queue; must hold at least one step's keys (2 x batch).
   * Default 4096 (the authors' CIFAR demo); MoCo v2 on ImageNet: 65536.
   */
  queueSize: z.number().int().positive().default(4096),
  /** Width of the head's output, the embedding compared in InfoNCE. MoCo v2: 128. Default 128. */
  projectionDim: z.number().int().positive().default(128),
  /**
   * Hidden width of the 2-layer MLP head (Linear-ReLU-Linear, no BatchNorm). 0 means the backbone's
   * feature width, which is what MoCo v2 uses (2048 = ResNet-50's feature width). Default 0.
   */
  hiddenDim: z.number().int().min(0).default(0),
});

/** MoCo options after validation, with defaults filled in. */
export type MocoOptions = z.output<typeof MocoOptionsSchema>;
