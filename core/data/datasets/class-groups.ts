import { DatasetError } from './dataset-error';

/** The usual frequency groups of long-tailed evaluation. */
export type ClassGroup = 'many' | 'medium' | 'few';

/**
 * How to split classes into groups.
 * - `thresholds` (ImageNet-LT, Liu et al. 2019): many has more than `manyAbove` training records
 *   (default 100), few has fewer than `fewBelow` (default 20), medium the rest (20..100).
 * - `thirds` (CIFAR-100-LT in SDCLR / BCL): classes sorted by training count, descending (ties by
 *   class id); the first floor(C/3) are many, the last floor(C/3) few, the rest medium
 *   (33 / 34 / 33 for 100 classes, 3 / 4 / 3 for 10).
 * - `authors-thirds`: the BCL / SDCLR code's `disjoint_summary`: classes sorted by count ascending
 *   (ties by class id), the floor(C/3) rarest few, the next floor(C/3) medium, the rest many
 *   (34 / 33 / 33 for 100 classes, 4 / 3 / 3 for 10).
 */
export type ClassGroupRule =
  | { readonly kind: 'thresholds'; readonly manyAbove?: number; readonly fewBelow?: number }
  | { readonly kind: 'thirds' }
  | { readonly kind: 'authors-thirds' };

/** Classes of each group (ascending class ids) and the group of each class. */
export interface ClassGroups {
  readonly many: number[];
  readonly medium: number[];
  readonly few: number[];
  /** `groupOf[c]` is the group of class c. */
  readonly groupOf: ClassGroup[];
}

/** Splits classes into many / medium / few from their training-set counts. */
export function classGroups(
  trainCounts: ArrayLike<number>,
  rule: ClassGroupRule = { kind: 'thresholds' },
): ClassGroups {
  const numClasses = trainCounts.length;
  const groupOf = new Array<ClassGroup>(numClasses);
  if (rule.kind === 'thresholds') {
    const manyAbove = rule.manyAbove ?? 100;
    const fewBelow = rule.fewBelow ?? 20;
    if (!(fewBelow <= manyAbove + 1)) {
      throw new DatasetError(
        'bad-option',
        `classGroups.fewBelow must be <= manyAbove + 1, but got ${fewBelow} > ${manyAbove + 1}`,
      );
    }
    for (let c = 0; c < numClasses; c++) {
      const n = trainCounts[c];
      groupOf[c] = n > manyAbove ? 'many' : n < fewBelow ? 'few' : 'medium';
    }
  } else if (rule.kind === 'authors-thirds') {
    const third = Math.floor(numClasses / 3);
    const ascending = Array.from({ length: numClasses }, (_, c) => c);
    ascending.sort((a, b) => trainCounts[a] - trainCounts[b] || a - b);
    ascending.forEach((c, rank) => (groupOf[c] = rank < third ? 'few' : rank < 2 * third ? 'medium' : 'many'));
  } else {
    const third = Math.floor(numClasses / 3);
    const byCount = Array.from({ length: numClasses }, (_, c) => c);
    byCount.sort((a, b) => trainCounts[b] - trainCounts[a] || a - b);
    byCount.forEach((c, rank) => (groupOf[c] = rank < third ? 'many' : rank >= numClasses - third ? 'few' : 'medium'));
  }
  const members = (group: ClassGroup) => groupOf.flatMap((g, c) => (g === group ? [c] : []));
  return { many: members('many'), medium: members('medium'), few: members('few'), groupOf };
}
