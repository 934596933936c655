import * as tf from '@tensorflow/tfjs';
import { BclError } from '../errors';
import { batchNormTraining, normaliseByOps } from './batch-norm-training-op';
import type { ForwardContext, Module, StateUpdate } from './module';
import { checkInRange, checkPositive, checkPositiveInteger } from './validate';
import { createFilledVariable, disposerFor } from './variable';

/** Options of `createBatchNorm`. */
export interface BatchNormOptions {
  /**
   * Module name; variables are `<name>/gamma`, `<name>/beta` (trainable) and
   * `<name>/running_mean`, `<name>/running_var` (state).
   */
  readonly name: string;
  /** Channels: the size of the input's last axis. */
  readonly channels: number;
  /** Weight of the new batch statistic in the running average. Default 0.1 (PyTorch). */
  readonly momentum?: number;
  /** Added to the variance before the square root. Default 1e-5 (PyTorch). */
  readonly epsilon?: number;
  /** Start gamma at 0 instead of 1 (torchvision's `zero_init_residual` for a block's last BN). Default false. */
  readonly zeroInitGamma?: boolean;
  /** Learn gamma and beta. Default true; false gives a pure normaliser (SimSiam's last projector BN). */
  readonly affine?: boolean;
}

/**
 * Batch normalisation over every axis but the last (channels-last), so one module serves NHWC
 * feature maps (PyTorch's BatchNorm2d) and `[B, C]` vectors (BatchNorm1d).
 *
 * Training: normalises with the batch mean and the biased batch variance. When
 * `context.stateUpdates` is given it pushes the new running statistics, PyTorch's formula
 * `running = (1 - momentum) * running + momentum * stat` with the unbiased variance; a second pass
 * in the same step chains from the first pass's pending value, as PyTorch's in-place updates would.
 * Eval: normalises with the running statistics.
 *
 * The module owns its variables; `apply` returns a tensor the caller owns, and pushed update
 * values are kept (outside every tidy) for the collector to apply and dispose.
 */
export function createBatchNorm(options: BatchNormOptions): Module {
  const { name, channels, momentum = 0.1, epsilon = 1e-5, zeroInitGamma = false, affine = true } = options;
  checkPositiveInteger(`${name}.channels`, channels);
  checkInRange(`${name}.momentum`, momentum, 0, 1);
  checkPositive(`${name}.epsilon`, epsilon);

  const gamma = affine ? createFilledVariable(zeroInitGamma ? 0 : 1, [channels], true, `${name}/gamma`) : undefined;
  const beta = affine ? createFilledVariable(0, [channels], true, `${name}/beta`) : undefined;
  const runningMean = createFilledVariable(0, [channels], false, `${name}/running_mean`);
  const runningVar = createFilledVariable(1, [channels], false, `${name}/running_var`);
  const trainable = gamma && beta ? [gamma, beta] : [];
  const state = [runningMean, runningVar];

  function recordUpdates(updates: StateUpdate[], mean: tf.Tensor, variance: tf.Tensor, count: number): void {
    // PyTorch tracks the unbiased variance even though it normalises with the biased one.
    const unbiased = tf.mul(variance, count / (count - 1));
    for (const [variable, statistic] of [
      [runningMean, mean],
      [runningVar, unbiased],
    ] as const) {
      const pending = findLast(updates, variable);
      const previous = pending ? pending.value : variable;
      const value = tf.add(tf.mul(previous, 1 - momentum), tf.mul(statistic, momentum));
      updates.push({ variable, value: tf.keep(value) });
    }
  }

  return {
    name,
    trainableVariables: () => trainable.slice(),
    stateVariables: () => state.slice(),
    apply: (input: tf.Tensor, context: ForwardContext) =>
      tf.tidy(() => {
        if (input.shape[input.rank - 1] !== channels) {
          throw new BclError(
            'PLUGIN_FAILED',
            `${name} expected ${channels} channels on the last axis, but got input of shape [${input.shape.join(', ')}].`,
          );
        }
        if (!context.training) return normaliseByOps(input, runningMean, runningVar, gamma, beta, epsilon);

        const count = input.size / channels;
        if (count < 2) {
          throw new BclError(
            'RECIPE_INVALID',
            `${name} needs more than 1 value per channel in training, but got input of shape [${input.shape.join(', ')}].`,
            { hint: 'use a batch size of at least 2.' },
          );
        }
        const { y, mean, variance } = batchNormTraining(input, gamma as tf.Tensor1D | undefined, beta as tf.Tensor1D | undefined, epsilon);
        if (context.stateUpdates) recordUpdates(context.stateUpdates, mean, variance, count);
        return y;
      }),
    dispose: disposerFor([...trainable, ...state]),
  };
}

function findLast(updates: readonly StateUpdate[], variable: tf.Variable): StateUpdate | undefined {
  for (let i = updates.length - 1; i >= 0; i--) if (updates[i].variable === variable) return updates[i];
  return undefined;
}
