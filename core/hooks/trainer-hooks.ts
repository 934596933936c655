import type { HookKind } from './hook-kinds';
import type {
  AugmentationPolicy,
  BatchContext,
  BatchLossContext,
  EpochContext,
  LossContext,
  PerViewLoss,
  PluginState,
  StepContext,
  TrainContext,
} from './contexts';

type Awaitable<T> = T | Promise<T>;

/**
 * Every point where a plugin can take part in training. docs/hooks.md has one row per hook.
 * A plugin implements any subset. Contexts are read-only; tensors handed in are borrowed.
 */
export interface TrainerHooks {
  /** sequential — once, before the first epoch (after a resume: after state is restored). Owner: plugin setup. */
  onTrainStart(context: TrainContext): Awaitable<void>;
  /** sequential — at the start of every epoch, before its first batch. */
  onEpochStart(context: EpochContext): Awaitable<void>;
  /** sequential — before a batch's views are made. */
  onBatchStart(context: BatchContext): Awaitable<void>;
  /**
   * waterfall — per-sample augmentation parameters for the batch's indices; the data pipeline
   * applies the final value after the base augmentation. Synchronous.
   */
  augmentationPolicy(policy: AugmentationPolicy, context: BatchContext): AugmentationPolicy;
  /**
   * waterfall — inside the gradient tape: receives the differentiable per-view, per-sample loss
   * [views, B] and returns a tensor of the same shape (e.g. reweighted). Synchronous. The input is
   * borrowed; the returned tensor is owned by the trainer (return the input itself to pass it on).
   */
  transformLoss(loss: PerViewLoss, context: LossContext): PerViewLoss;
  /** sequential — after the step's update, with the detached per-sample losses of that step (computed before it). */
  onBatchLoss(context: BatchLossContext): Awaitable<void>;
  /** sequential — after the optimizer updated the weights (e.g. momentum-encoder updates). */
  onAfterStep(context: StepContext): Awaitable<void>;
  /** sequential — after the last batch of an epoch, before the epoch's checkpoint. */
  onEpochEnd(context: EpochContext): Awaitable<void>;
  /** sequential — once, after the last epoch. */
  onTrainEnd(context: TrainContext): Awaitable<void>;
  /** collect — the plugin's state for a checkpoint (plain values and typed arrays). */
  stateSnapshot(): PluginState;
  /** distribute — restores what `stateSnapshot` returned, before `onTrainStart` of a resumed run. */
  onStateRestore(state: PluginState): void;
}

/** The kind of every hook; `satisfies` makes the compiler check the table is complete. */
export const HOOK_KINDS = {
  onTrainStart: 'sequential',
  onEpochStart: 'sequential',
  onBatchStart: 'sequential',
  augmentationPolicy: 'waterfall',
  transformLoss: 'waterfall',
  onBatchLoss: 'sequential',
  onAfterStep: 'sequential',
  onEpochEnd: 'sequential',
  onTrainEnd: 'sequential',
  stateSnapshot: 'collect',
  onStateRestore: 'distribute',
} as const satisfies Record<keyof TrainerHooks, HookKind>;

export type HookName = keyof TrainerHooks;

/** Names of hooks of kind K. */
export type HooksOfKind<K extends HookKind> = {
  [H in HookName]: (typeof HOOK_KINDS)[H] extends K ? H : never;
}[HookName];

/** A hook handler, optionally placed before (`pre`) or after (`post`) the others. */
export type HookEntry<H extends HookName> = TrainerHooks[H] | { handler: TrainerHooks[H]; order: 'pre' | 'post' };

/** What a plugin provides: any subset of the hooks. */
export type PluginHooks = { [H in HookName]?: HookEntry<H> };
