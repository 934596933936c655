import type { IndexedDataset } from '../dataset';
import { DatasetError } from './dataset-error';
import { samplePerClass } from './per-class-sample';
import { SubsetDataset } from './subset';

/** Options of {@link balancedKShot}. */
export interface KShotOptions {
  /** Records per class (e.g. 100 for a balanced test split, or 1 / 10 for few-shot linear probes). */
  readonly k: number;
  /** Seed of the within-class choice. */
  readonly seed: number;
  /** Name of the result. Default `<source name>-<k>shot`. */
  readonly name?: string;
}

/**
 * A balanced view with exactly `k` records of every class, chosen at random (seeded), in source
 * order. Throws a `bad-option` DatasetError (code `RECIPE_INVALID`) when a class has fewer than `k` records.
 */
export function balancedKShot(dataset: IndexedDataset, options: KShotOptions): SubsetDataset {
  const { k, seed } = options;
  if (!Number.isInteger(k) || k < 1) {
    throw new DatasetError('bad-option', `kShot.k must be a positive integer, but got ${k}`);
  }
  const indices = samplePerClass(dataset, new Array<number>(dataset.numClasses).fill(k), seed);
  return new SubsetDataset(dataset, indices, options.name ?? `${dataset.name}-${k}shot`);
}
