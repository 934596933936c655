import { deriveSeed, Rng } from '../../random/rng';
import { DatasetError } from './dataset-error';

/**
 * A seeded permutation of the class ids 0..C-1: `result[rank]` is the class that gets the rank-th
 * largest count of a long-tail profile. Label order makes the rare classes the last labels, and on
 * Fashion-MNIST those (sneaker, bag, ankle boot) are also its easiest classes, so "tail" and "easy"
 * would be confounded; a permutation per study cell separates them. The permutation depends only
 * on `(numClasses, seed)`, so a recipe reproduces it exactly.
 */
export function classPermutation(numClasses: number, seed: number): number[] {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new DatasetError('bad-option', `classPermutation needs a positive number of classes, but got ${numClasses}`);
  }
  if (!Number.isInteger(seed) || seed < 0) {
    throw new DatasetError('bad-option', `classPermutationSeed must be a non-negative integer, but got ${seed}`);
  }
  // Its own stream, so the permutation does not move when the within-class draw changes.
  return new Rng(deriveSeed(seed, 0x9e7a)).shuffle(Array.from({ length: numClasses }, (_, c) => c));
}
