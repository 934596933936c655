import * as tf from '@tensorflow/tfjs';
import type { CheckpointStore } from '../checkpoint/checkpoint-store';
import { encodeRunCheckpoint, type RestoredRun } from '../checkpoint/run-checkpoint';
import type { IndexedDataset } from '../data/dataset';
import { emptyPolicy } from '../data/augmentation-policy';
import type { ViewPipeline } from '../data/view-pipeline';
import { BclError } from '../errors';
import type { EventBus } from '../events/event-bus';
import type { BatchContext, EpochContext, RunInfo, TrainContext } from '../hooks/contexts';
import type { HookDriver } from '../hooks/hook-driver';
import type { SslMethod } from '../plugin/ssl-method';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { batchesPerEpoch, batchIndices, epochOrder } from './epoch-order';
import { learningRateAt } from './lr-schedule';
import type { Optimizer } from './optimizers/optimizer';
import { trainStep } from './train-step';

/** Everything the trainer works with; the composition root (`train`) builds it. */
export interface TrainerParts {
  readonly recipe: ResolvedRecipe;
  readonly recipeHash: string;
  readonly method: SslMethod;
  readonly optimizer: Optimizer;
  readonly hooks: HookDriver;
  readonly events: EventBus;
  readonly dataset: IndexedDataset;
  readonly pipeline: ViewPipeline;
  readonly backend: string;
  readonly versions: Record<string, string>;
  /** Where checkpoints go; omitted: none are written. */
  readonly checkpoints?: CheckpointStore;
  /** A checkpoint to continue from. */
  readonly resumeFrom?: RestoredRun;
  /**
   * Polled after every step; when it returns true the trainer writes a checkpoint at that step
   * (mid-epoch position included) and stops with an INTERRUPTED error. The CLI wires SIGINT/SIGTERM here.
   */
  readonly stopRequested?: () => boolean;
}

/** The batch after the current one, whose base views the pipeline prepares during the current step. */
interface NextBatch {
  readonly epoch: number;
  readonly indices: Int32Array;
}

/** Where the run stands at one batch: what a step needs to know besides the trainer's parts. */
interface BatchPosition {
  readonly run: RunInfo;
  readonly epoch: number;
  /** 0-based batch within the epoch. */
  readonly batch: number;
  /** 0-based global step. */
  readonly step: number;
  readonly totalSteps: number;
  /** This batch's dataset indices. */
  readonly indices: Int32Array;
  /** The batch after this one (its base views are prepared during this step), if any. */
  readonly next: NextBatch | undefined;
}

/** An epoch's running totals, closed by `finishEpoch`. */
interface EpochTally {
  readonly context: EpochContext;
  /** Global steps done when the epoch ends. */
  readonly step: number;
  readonly lossSum: number;
  readonly stepsPerEpoch: number;
  readonly batchSize: number;
  /** `Date.now()` when the epoch (or its resumed part) started. */
  readonly started: number;
}

/** Where a checkpoint is taken. */
interface CheckpointPosition {
  /** Epochs completed. */
  readonly epochsDone: number;
  /** Global steps completed. */
  readonly step: number;
  /** Batches of the next epoch already done (0 at an epoch end). */
  readonly positionInEpoch: number;
  /** Loss sum of those batches, so a resumed epoch reports the uninterrupted mean. */
  readonly epochLossSum: number;
  /** The finished epoch's mean loss (epoch-end checkpoints). */
  readonly epochLoss?: number;
}

/** The first batch of the epoch after `epoch`, or undefined after the last epoch. */
function nextEpochFirstBatch(recipe: ResolvedRecipe, epoch: number, datasetSize: number, batchSize: number): NextBatch | undefined {
  if (epoch >= recipe.epochs) return undefined;
  return { epoch: epoch + 1, indices: batchIndices(epochOrder(recipe.seed, epoch + 1, datasetSize), 0, batchSize) };
}

/** What a finished run reports. */
export interface TrainSummary {
  readonly epochs: number;
  readonly steps: number;
  /** Mean loss of each epoch this process ran, in order. */
  readonly epochLosses: number[];
  /** Path of the last checkpoint written, if any. */
  readonly lastCheckpoint?: string;
}

/**
 * Runs epochs of steps and calls the hooks; knows nothing about any SSL method. The method gives
 * per-view, per-sample losses; the trainer reduces them, steps the optimizer, and checkpoints
 * weights, optimizer buffers and plugin state.
 */
export class Trainer {
  private lastCheckpoint?: string;

  constructor(private readonly parts: TrainerParts) {}

  async run(): Promise<TrainSummary> {
    const { recipe, method, hooks, events, dataset } = this.parts;
    const batchSize = Math.min(recipe.data.batchSize, dataset.size);
    const stepsPerEpoch = batchesPerEpoch(dataset.size, batchSize, recipe.data.dropLast);
    if (stepsPerEpoch === 0) {
      throw new BclError('RECIPE_INVALID', `recipe.data.batchSize ${batchSize} leaves no full batch in ${dataset.size} samples.`, {
        hint: 'Lower the batch size or set data.dropLast to false.',
      });
    }
    const totalSteps = stepsPerEpoch * recipe.epochs;
    const run: RunInfo = {
      epochs: recipe.epochs,
      stepsPerEpoch,
      datasetSize: dataset.size,
      views: method.views,
      seed: recipe.seed,
      labels: Int32Array.from({ length: dataset.size }, (_, i) => dataset.label(i)),
      classCounts: dataset.classCounts(),
    };

    let startEpoch = 1;
    let startBatch = 0;
    let step = 0;
    const resume = this.parts.resumeFrom;
    if (resume) {
      resume.restoreVariables(this.checkpointedVariables());
      hooks.distribute('onStateRestore', resume.pluginStates);
      startEpoch = resume.meta.epoch + 1;
      startBatch = resume.meta.positionInEpoch;
      step = resume.meta.step;
      events.log('info', `resumed at epoch ${startEpoch}, batch ${startBatch + 1} (step ${step})`);
    }

    const trainContext: TrainContext = { run, startEpoch };
    await hooks.sequential('onTrainStart', trainContext);
    const epochLosses: number[] = [];
    for (let epoch = startEpoch; epoch <= recipe.epochs; epoch++) {
      const epochContext: EpochContext = { run, epoch };
      const firstBatch = epoch === startEpoch ? startBatch : 0;
      // A resume inside an epoch continues it: onEpochStart already ran before the interruption.
      if (firstBatch === 0) await hooks.sequential('onEpochStart', epochContext);
      const order = epochOrder(recipe.seed, epoch, dataset.size);
      const started = Date.now();
      // The epoch's loss sum survives a mid-epoch resume, so its epoch line equals an uninterrupted run's.
      let lossSum = firstBatch > 0 && resume ? resume.meta.epochLossSum : 0;
      const everySteps = recipe.checkpoint.everySteps;
      for (let batch = firstBatch; batch < stepsPerEpoch; batch++) {
        const next = batch + 1 < stepsPerEpoch ? { epoch, indices: batchIndices(order, batch + 1, batchSize) } : nextEpochFirstBatch(recipe, epoch, dataset.size, batchSize);
        lossSum += await this.runBatch({ run, epoch, batch, step, totalSteps, indices: batchIndices(order, batch, batchSize), next });
        step++;
        // Let signal handlers and I/O run: without this a CPU-bound loop never sees SIGINT.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const midEpoch = batch + 1 < stepsPerEpoch;
        if (everySteps !== null && midEpoch && step % everySteps === 0) await this.saveCheckpoint({ epochsDone: epoch - 1, step, positionInEpoch: batch + 1, epochLossSum: lossSum });
        if (this.parts.stopRequested?.() && step < totalSteps) {
          // Also at an epoch's last step: the resumed run then starts with this epoch's onEpochEnd.
          const file = await this.saveCheckpoint({ epochsDone: epoch - 1, step, positionInEpoch: batch + 1, epochLossSum: lossSum });
          throw new BclError('INTERRUPTED', `stopped by request at step ${step} (epoch ${epoch}, batch ${batch + 1}); checkpoint ${file ?? 'not written (no run folder)'}.`, {
            hint: 'Continue with bcl train --resume.',
          });
        }
      }
      epochLosses.push(await this.finishEpoch({ context: epochContext, step, lossSum, stepsPerEpoch, batchSize, started }));
    }
    await hooks.sequential('onTrainEnd', trainContext);
    return { epochs: recipe.epochs, steps: step, epochLosses, lastCheckpoint: this.lastCheckpoint };
  }

  private async runBatch(position: BatchPosition): Promise<number> {
    const { recipe, method, hooks, events, pipeline, optimizer } = this.parts;
    const { run, epoch, batch, step, totalSteps, indices, next } = position;
    // The base views depend on no hook: the workers prepare this batch's (if not already) and the next one's during this step.
    pipeline.prefetch(indices, epoch, method.views);
    if (next) pipeline.prefetch(next.indices, next.epoch, method.views);
    const context: BatchContext = { run, epoch, batch, step, indices };
    await hooks.sequential('onBatchStart', context);
    const policy = hooks.waterfall('augmentationPolicy', emptyPolicy(indices), context);
    const lr = learningRateAt(step, recipe.optimizer.lr, run.stepsPerEpoch, totalSteps, recipe.schedule);
    const views = await pipeline.viewsAsync(indices, epoch, method.views, policy);
    let result;
    try {
      result = await trainStep(method, views, hooks, optimizer, { ...context, lr });
    } catch (error) {
      if (error instanceof BclError && error.code === 'NON_FINITE_LOSS') {
        throw new BclError('NON_FINITE_LOSS', `${error.message}; last good checkpoint: ${this.lastCheckpoint ?? this.parts.checkpoints?.list().at(-1)?.path ?? 'none'}`, {
          hint: 'Lower the learning rate or check the data; the weights of this step were not applied.',
        });
      }
      throw error;
    } finally {
      tf.dispose(views);
    }
    await hooks.sequential('onBatchLoss', { ...context, losses: result.losses, loss: result.loss, lr });
    await hooks.sequential('onAfterStep', { ...context, lr });
    events.emit('progress', {
      epoch,
      epochs: run.epochs,
      batch,
      stepsPerEpoch: run.stepsPerEpoch,
      step,
      totalSteps,
      loss: result.loss,
      lr,
    });
    if (step % recipe.logging.everySteps === 0) {
      events.emit('metrics', { scope: 'step', epoch, step, values: { loss: result.loss, lr } });
    }
    return result.loss;
  }

  /** `onEpochEnd`, the epoch metrics line and the epoch checkpoint; returns the epoch's mean loss. */
  private async finishEpoch(tally: EpochTally): Promise<number> {
    const { recipe, hooks, events } = this.parts;
    const { context, step, lossSum, stepsPerEpoch, batchSize, started } = tally;
    const { epoch } = context;
    await hooks.sequential('onEpochEnd', context);
    const seconds = (Date.now() - started) / 1000;
    const meanLoss = lossSum / stepsPerEpoch;
    events.emit('metrics', { scope: 'epoch', epoch, step: step - 1, values: { loss: meanLoss, seconds, imagesPerSecond: (stepsPerEpoch * batchSize) / seconds } });
    events.log('info', `epoch ${epoch}/${recipe.epochs}: loss ${meanLoss.toFixed(4)} in ${seconds.toFixed(1)} s`);
    if (epoch % recipe.checkpoint.everyEpochs === 0 || epoch === recipe.epochs) await this.saveCheckpoint({ epochsDone: epoch, step, positionInEpoch: 0, epochLossSum: 0, epochLoss: meanLoss });
    return meanLoss;
  }

  /** Weights, BatchNorm statistics and optimizer buffers: everything restored on resume. */
  private checkpointedVariables(): tf.Variable[] {
    const { method, optimizer } = this.parts;
    return [...method.trainableVariables(), ...method.stateVariables(), ...optimizer.stateVariables()];
  }

  /** Writes a checkpoint after `step` steps: `epochsDone` epochs plus `positionInEpoch` batches of the next. */
  private async saveCheckpoint(at: CheckpointPosition): Promise<string | undefined> {
    const { checkpoints, hooks, recipe } = this.parts;
    const { epochsDone: epoch, step, positionInEpoch, epochLossSum, epochLoss } = at;
    if (!checkpoints) return undefined;
    const data = await encodeRunCheckpoint({
      meta: {
        recipe,
        recipeHash: this.parts.recipeHash,
        datasetFingerprint: this.parts.dataset.fingerprint,
        backend: this.parts.backend,
        versions: this.parts.versions,
        epoch,
        step,
        positionInEpoch,
        epochLossSum,
      },
      variables: this.checkpointedVariables(),
      pluginStates: hooks.collect('stateSnapshot'),
    });
    this.lastCheckpoint = checkpoints.save(step, data, recipe.checkpoint.keepLast, epochLoss);
    this.parts.events.log('info', `checkpoint ${this.lastCheckpoint}`);
    return this.lastCheckpoint;
  }
}
