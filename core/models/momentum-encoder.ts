import * as tf from '@tensorflow/tfjs';
import { BclError } from '../errors';

/**
 * Helpers for methods with a momentum (EMA) encoder — MoCo's key encoder, BYOL's target network —
 * and for stop-gradient branches.
 */

/** A momentum-encoder variable and the online variable it follows. */
export type VariablePair = readonly [target: tf.Variable, source: tf.Variable];

/**
 * Pairs two architecturally identical variable lists by position, checking shapes, so a mismatch
 * is an error at creation rather than a silent mix-up later.
 */
export function pairVariables(targets: readonly tf.Variable[], sources: readonly tf.Variable[], owner: string): VariablePair[] {
  if (targets.length !== sources.length) {
    throw new BclError('PLUGIN_FAILED', `${owner}: the momentum encoder has ${targets.length} variables, but the online one has ${sources.length}.`);
  }
  return targets.map((target, i) => {
    const source = sources[i];
    if (target.shape.join('x') !== source.shape.join('x')) {
      throw new BclError(
        'PLUGIN_FAILED',
        `${owner}: ${target.name} has shape [${target.shape}], but ${source.name} has [${source.shape}].`,
      );
    }
    return [target, source] as const;
  });
}

/** Sets every target to its source's value (the momentum encoder starts as a copy). */
export function copyVariables(pairs: readonly VariablePair[]): void {
  for (const [target, source] of pairs) tf.tidy(() => target.assign(tf.clone(source)));
}

/** `target = m * target + (1 - m) * source` for every pair. Leaves no tensor behind. */
export function momentumUpdate(pairs: readonly VariablePair[], m: number): void {
  for (const [target, source] of pairs) {
    tf.tidy(() => target.assign(tf.add(tf.mul(target, m), tf.mul(source, 1 - m))));
  }
}

/**
 * Runs `compute` on `inputs` as one opaque op whose gradient is zero: a stop-gradient for a whole
 * branch (tfjs has no `tf.stopGradient`). The branch's own ops are not recorded on the gradient
 * tape, so its intermediates are freed at once instead of being held for a backward pass that
 * would not use them. `compute` must return a new tensor (not one of its inputs); the caller owns
 * the result.
 */
export function withoutGradient<T extends tf.Tensor>(compute: (inputs: tf.Tensor[]) => T, inputs: readonly tf.Tensor[]): T {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    // customGrad appends its `save` function to the arguments.
    const tensors = args.slice(0, inputs.length) as tf.Tensor[];
    return { value: compute(tensors), gradFunc: () => tensors.map((x) => tf.zerosLike(x)) };
  });
  return op(...inputs) as T;
}
