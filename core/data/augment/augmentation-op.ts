/**
 * What an augmentation op is: a name, a zod schema for its parameters (defaults inside), and a
 * function that applies it, drawing every random choice from the view's `Rng`. Ops are registered
 * by name (`registerAugmentationOp`), as tfjs registers kernels, and pipelines name them in plain
 * data (`AugmentationStep`), so recipes, methods and add-ons describe augmentation without code.
 */
import type { z } from 'zod';
import type { Rng } from '../../random/rng';
import type { Image } from '../image';

/**
 * One augmentation op.
 * - `apply` must draw randomness only from `rng` (a view is a function of its seed), must not
 *   modify `image`, and may return `image` itself when it changes nothing.
 * - `params` is parsed once when a pipeline is built; `apply` receives the parsed value.
 * - `module`: for ops that base pipelines use, the absolute path (or package name) of a module
 *   that registers this op when `require`d. Data worker threads load it to find the op by name.
 *   Built-in ops need none; ops that only per-sample policies use need none (policies run on the
 *   main thread).
 */
export interface AugmentationOp<Params = unknown, Input = Params> {
  readonly name: string;
  /** One line for docs and error messages. */
  readonly description: string;
  readonly params: z.ZodType<Params, Input>;
  readonly module?: string;
  apply(image: Image, params: Params, rng: Rng): Image;
}

/** Helper that keeps the parameter types of an op literal. */
export function defineAugmentationOp<Params, Input>(op: AugmentationOp<Params, Input>): AugmentationOp<Params, Input> {
  return op;
}

/**
 * One step of a pipeline as plain data: the op's registered name and its parameters, e.g.
 * `{ "op": "RandomResizedCrop", "scale": [0.08, 1] }`. Parameters left out take the recipe's
 * shared setting for that op (see `recipeOpDefaults`), else the op's schema default.
 */
export interface AugmentationStep {
  readonly op: string;
  readonly [param: string]: unknown;
}

/** A typed step for `op`: `augmentationStep(randAugmentOp, { k: 2, magnitude: 12 })`. */
export function augmentationStep<Params, Input>(op: AugmentationOp<Params, Input>, params: Partial<Input> = {}): AugmentationStep {
  return { ...(params as Record<string, unknown>), op: op.name };
}
