import type * as tf from '@tensorflow/tfjs';
import type { AugmentationStep } from '../data/augment/augmentation-op';

/** Run-wide facts every hook context carries. Read-only: hooks never mutate the context. */
export interface RunInfo {
  /** Total epochs of the run. */
  readonly epochs: number;
  /** Optimizer steps per epoch. */
  readonly stepsPerEpoch: number;
  /** Number of samples in the training dataset (dataset indices are in [0, datasetSize)). */
  readonly datasetSize: number;
  /** Views per sample the method asked for. */
  readonly views: number;
  /** The run's seed. */
  readonly seed: number;
  /** Labels of the training set (-1 when unknown). For analysis only: never use them to train. */
  readonly labels: Int32Array;
  /** Per-class sample counts of the training set (empty when unknown). */
  readonly classCounts: Int32Array;
}

/** Context of `onTrainStart` / `onTrainEnd`. */
export interface TrainContext {
  readonly run: RunInfo;
  /** First epoch this process runs (1-based; > 1 after a resume). */
  readonly startEpoch: number;
}

/** Context of `onEpochStart` / `onEpochEnd`. */
export interface EpochContext {
  readonly run: RunInfo;
  /** 1-based epoch number. */
  readonly epoch: number;
}

/** Context of `onBatchStart` and `augmentationPolicy`. */
export interface BatchContext {
  readonly run: RunInfo;
  readonly epoch: number;
  /** 0-based batch number within the epoch. */
  readonly batch: number;
  /** 0-based global optimizer step. */
  readonly step: number;
  /** Dataset indices of this batch's samples. Borrowed: do not mutate. */
  readonly indices: Int32Array;
}

/** Context of `transformLoss`. */
export interface LossContext extends BatchContext {
  /** Learning rate of this step. */
  readonly lr: number;
}

/** Payload of `onBatchLoss`: the per-sample losses of one step, detached and on the host. */
export interface BatchLossContext extends BatchContext {
  /**
   * Per-sample loss (the method's loss averaged over views, before `transformLoss`), aligned
   * with `indices`. Borrowed: copy what you keep.
   */
  readonly losses: Float32Array;
  /** Mean of the reduced (transformed) loss the optimizer minimised. */
  readonly loss: number;
  readonly lr: number;
}

/** Context of `onAfterStep`, which fires after the optimizer has updated the weights. */
export interface StepContext extends BatchContext {
  readonly lr: number;
}

/**
 * Extra augmentation for one sample, as data. Applied to each of the sample's views after that
 * view's base pipeline; each view draws its own randomness (so, e.g., RandAugment picks its ops per
 * view), while parameters set here are shared by all views of the sample.
 */
export interface SampleAugmentation {
  /** Steps appended after the base pipeline, in order (e.g. BCL's `{ op: 'RandAugment', ... }`). */
  readonly append?: readonly AugmentationStep[];
  /**
   * Parameter changes of the base pipeline's steps, by op name, e.g.
   * `{ RandomResizedCrop: { scale: [0.5, 1] } }`. Base views are prepared ahead in worker threads
   * without the policy, so a sample with changes has its base views recomputed on the main thread
   * (same seed, so the views are still a function of seed, epoch, sample, view and policy).
   */
  readonly params?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/**
 * The value threaded through the `augmentationPolicy` waterfall: per-sample extra augmentation for
 * one batch. Each add-on returns a new value built on the one it received (`extendPolicy` appends
 * steps and merges parameter changes, so add-ons compose in hook order). The data pipeline
 * validates it once per batch (every step's op name and parameters) and applies it to every view.
 */
export interface AugmentationPolicy {
  /** Dataset indices of the batch; `samples[i]` belongs to `indices[i]`. */
  readonly indices: Int32Array;
  /** Per batch position; a missing or undefined entry adds nothing. */
  readonly samples: readonly (SampleAugmentation | undefined)[];
}

/** A plugin's checkpointed state: JSON values and typed arrays, nothing backend-specific. */
export type PluginStateValue =
  | null
  | boolean
  | number
  | string
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint8Array
  | PluginStateValue[]
  | { [key: string]: PluginStateValue };

/** What a plugin's `stateSnapshot` returns and its `onStateRestore` receives. */
export type PluginState = { [key: string]: PluginStateValue };

/** The tensor handed to `transformLoss`: the differentiable per-view, per-sample loss [views, B]. */
export type PerViewLoss = tf.Tensor2D;
