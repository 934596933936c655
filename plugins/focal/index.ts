import * as tf from '@tensorflow/tfjs';
import type { DependencyContainer } from 'tsyringe';
import { definePlugin, registerPlugin, z, type PerViewLoss } from '../../core/index';

/** Options of the focal-style loss weighting add-on (recipe `plugins: [{ "name": "focal", ... }]`). */
export interface FocalOptions {
  /**
   * Focusing exponent gamma >= 0. Each per-view, per-sample loss l becomes (1 - exp(-l))^gamma * l:
   * with p = exp(-l) the "probability" of the positive pair, this is the focal loss
   * -(1-p)^gamma log p (Lin et al. 2017). 0 leaves losses unchanged. Default 2 (the focal-loss paper).
   */
  readonly gamma: number;
}

export const FocalOptionsSchema = z.strictObject({ gamma: z.number().min(0).default(2) });

/**
 * Focal-style reweighting: hard samples (high loss) keep their loss, easy ones are down-weighted.
 * Gradients flow through the weights, as in the focal loss. Caller owns the result.
 */
export function focalWeighting(loss: PerViewLoss, gamma: number): PerViewLoss {
  if (gamma === 0) return loss;
  return tf.tidy(() => tf.mul(tf.pow(tf.sub(1, tf.exp(tf.neg(loss))), gamma), loss) as PerViewLoss);
}

/** The focal add-on: a `transformLoss` hook, nothing else. */
export const focalPlugin = definePlugin<FocalOptions>({
  name: 'focal',
  kind: 'addon',
  description: 'focal-style loss weighting: (1 - exp(-l))^gamma * l per view and sample',
  options: FocalOptionsSchema,
  create: ({ options }) => ({ hooks: { transformLoss: (loss) => focalWeighting(loss, options.gamma) } }),
});

/** Makes `"focal"` available to recipes (in the root container unless `target` is given). */
export function registerFocal(target?: DependencyContainer): void {
  registerPlugin(focalPlugin, target);
}
