import type * as tf from '@tensorflow/tfjs';
import type { ForwardContext } from '../models/module';

/** One training batch as a method sees it. */
export interface TrainingBatch {
  /** `views[v]` is view v of every sample, float32 NHWC [B, H, W, C], normalised. Borrowed. */
  readonly views: readonly tf.Tensor4D[];
  /** Dataset indices of the samples, aligned with the batch dimension. */
  readonly indices: Int32Array;
}

/**
 * What a method plugin (SimCLR, MoCo, ...) gives the trainer: its variables and a differentiable
 * function from a batch to per-view, per-sample losses. The trainer knows nothing else about it.
 */
export interface SslMethod {
  /** Augmented views per sample the method needs (2 for SimCLR). */
  readonly views: number;
  /** Variables the optimizer updates, in a stable order, uniquely named `<plugin>/<path>`. */
  trainableVariables(): tf.Variable[];
  /**
   * Variables saved in checkpoints but not optimised: BatchNorm running statistics, momentum
   * encoders, queues. Uniquely named.
   */
  stateVariables(): tf.Variable[];
  /**
   * Per-view, per-sample loss [views, B]; row v holds each sample's loss with view v as anchor.
   * Runs inside the gradient tape; BatchNorm running-stat updates go to `context.stateUpdates`.
   * The trainer owns the result.
   */
  loss(batch: TrainingBatch, context: ForwardContext): tf.Tensor2D;
  /** Backbone features [B, D] (before any projector) in eval mode, for probes. Caller owns the result. */
  encode(images: tf.Tensor4D): tf.Tensor2D;
  /** Disposes every variable the method created. Idempotent. */
  dispose(): void;
}
