import type { IndexedDataset } from '../dataset';
import { DatasetError } from './dataset-error';
import { firstPerClass, samplePerClass } from './per-class-sample';
import { SubsetDataset } from './subset';

/**
 * Per-rank sample counts of the exponential long-tail profile
 * `n_c = floor(nMax * r^(-c / (C - 1)))` for ranks c = 0..C-1, so the head has `nMax` records and
 * the tail `floor(nMax / r)`. Computed as `nMax * (1 / r) ** (c / (C - 1))` truncated, exactly as
 * the LDAM / BCL reference code does, so published splits are reproduced (CIFAR-10-LT r=100 from
 * 5 000 per class has 12 406 images; CIFAR-100-LT r=100 from 500 has 10 847).
 */
export function longTailCounts(nMax: number, numClasses: number, ratio = 100): number[] {
  if (!Number.isInteger(nMax) || nMax < 1) {
    throw new DatasetError('bad-option', `longTail.nMax must be a positive integer, but got ${nMax}`);
  }
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new DatasetError('bad-option', `longTail needs at least 2 classes, but got ${numClasses}`);
  }
  if (!(ratio >= 1)) {
    throw new DatasetError('bad-option', `longTail.ratio must be >= 1, but got ${ratio}`);
  }
  const counts: number[] = [];
  for (let c = 0; c < numClasses; c++) counts.push(Math.floor(nMax * Math.pow(1 / ratio, c / (numClasses - 1))));
  return counts;
}

/** How {@link makeLongTailed} picks a class's records: seeded random draw, or the first n_c in file order. */
export type LongTailSelect = 'random' | 'first';

/** Options of {@link makeLongTailed}. */
export interface LongTailOptions {
  /** Imbalance ratio r = n_head / n_tail. Default 100 (the usual CIFAR-LT setting; BCL also uses 100). */
  readonly ratio?: number;
  /** Records of the head class. Default: the smallest class count of the source (all of a balanced set's class). */
  readonly nMax?: number;
  /** Seed of the within-class sample choice (unused with `select: 'first'`). */
  readonly seed: number;
  /**
   * How each class's records are chosen: `random` (default) draws them seeded without replacement;
   * `first` keeps the first n_c in file order, as the BCL / SDCLR authors' split code does.
   */
  readonly select?: LongTailSelect;
  /**
   * `classOrder[rank]` is the class that gets the rank-th largest count. Default: class c has
   * rank c (class 0 is the head), as in the CIFAR-LT reference code.
   */
  readonly classOrder?: readonly number[];
  /** Name of the result. Default `<source name>-lt(r=<ratio>)`. */
  readonly name?: string;
}

/**
 * A long-tailed view of a labelled dataset: class `classOrder[c]` keeps `longTailCounts(...)[c]`
 * records chosen at random (seeded) from its records, or its first ones (`select: 'first'`). The
 * result's `classCounts()` gives the counts per class; `indices` maps back to the source.
 */
export function makeLongTailed(dataset: IndexedDataset, options: LongTailOptions): SubsetDataset {
  const ratio = options.ratio ?? 100;
  const numClasses = dataset.numClasses;
  const available = dataset.classCounts();
  const nMax = options.nMax ?? Math.min(...available);
  const order = options.classOrder ?? Array.from({ length: numClasses }, (_, c) => c);
  checkPermutation(order, numClasses);
  const perRank = longTailCounts(nMax, numClasses, ratio);
  const wanted = new Array<number>(numClasses);
  order.forEach((cls, rank) => (wanted[cls] = perRank[rank]));
  const indices = options.select === 'first' ? firstPerClass(dataset, wanted) : samplePerClass(dataset, wanted, options.seed);
  return new SubsetDataset(dataset, indices, options.name ?? `${dataset.name}-lt(r=${ratio})`);
}

function checkPermutation(order: readonly number[], numClasses: number): void {
  const seen = new Set(order);
  const inRange = order.every((c) => Number.isInteger(c) && c >= 0 && c < numClasses);
  const ok = inRange && order.length === numClasses && seen.size === numClasses;
  if (!ok) {
    throw new DatasetError(
      'bad-option',
      `longTail.classOrder must be a permutation of 0..${numClasses - 1}, but got [${order.join(', ')}]`,
    );
  }
}
