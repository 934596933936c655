import { BclError } from '../errors';

/**
 * Option checks shared by the model factories. They throw `BclError('RECIPE_INVALID')` naming the
 * option's path, because model options come from recipes and must fail before epoch 1.
 */

/** Throws unless `value` is an integer >= 1. */
export function checkPositiveInteger(path: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new BclError('RECIPE_INVALID', `${path} must be a positive integer, but got ${String(value)}.`);
  }
}

/** Throws unless `value` is one of `allowed`. */
export function checkOneOf<T>(path: string, value: T, allowed: readonly T[]): void {
  if (!allowed.includes(value)) {
    throw new BclError(
      'RECIPE_INVALID',
      `${path} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, but got ${JSON.stringify(value)}.`,
    );
  }
}

/** Throws unless `low <= value <= high`. */
export function checkInRange(path: string, value: number, low: number, high: number): void {
  if (!(value >= low && value <= high)) {
    throw new BclError('RECIPE_INVALID', `${path} must be in [${low}, ${high}], but got ${String(value)}.`);
  }
}

/** Throws unless `value` is finite and > 0. */
export function checkPositive(path: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new BclError('RECIPE_INVALID', `${path} must be > 0, but got ${String(value)}.`);
  }
}
