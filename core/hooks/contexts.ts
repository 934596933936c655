import type * as tf from '@tensorflow/tfjs';

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
 * Per-sample augmentation parameters for one batch, threaded through `augmentationPolicy`
 * and applied by the data pipeline after the base (method) augmentation.
 */
export interface AugmentationPolicy {
  /** Dataset indices the arrays below are aligned with. */
  readonly indices: Int32Array;
  /** Extra RandAugment per sample, or null for none. */
  readonly randAugment: RandAugmentPolicy | null;
}

/**
 * RandAugment over the 15 ops, per sample i: `ops` ops are picked, each applied with probability
 * `probability[i]`, at a magnitude (0-30 scale) drawn uniformly from
 * [magnitudeLow[i], magnitudeHigh[i]] (equal bounds give a fixed magnitude).
 */
export interface RandAugmentPolicy {
  readonly ops: number;
  readonly probability: Float32Array;
  readonly magnitudeLow: Float32Array;
  readonly magnitudeHigh: Float32Array;
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
