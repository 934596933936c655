import type { ClassGroups } from '../data/datasets/class-groups';

/**
 * Accuracies of one probe on one test set, in percent (0-100, as the papers' tables print them).
 * `perClass[c]` is null when the test set has no sample of class c.
 */
export interface ProbeAccuracy {
  /** Top-1 accuracy over all test samples. */
  readonly top1: number;
  /** Top-5 accuracy over all test samples (top-C when there are fewer than 5 classes). */
  readonly top5: number;
  readonly perClass: (number | null)[];
  /** Mean per-class top-1 accuracy of the Many / Medium / Few classes (null for an empty group). */
  readonly many: number | null;
  readonly medium: number | null;
  readonly few: number | null;
  /**
   * Population standard deviation (divides by n, `np.std`) of the three group accuracies: BCL's
   * balance measure as the authors' `disjoint_summary` computes it (lower is more balanced). Null
   * unless all three groups have a value.
   */
  readonly groupStd: number | null;
}

/**
 * The 0-based rank of the true class among the scores of one sample: the number of classes with
 * a higher score, plus the lower-numbered classes with an equal score (ties go to the lower class
 * id, as an argmax that returns the first maximum does).
 */
export function rankOfLabel(scores: ArrayLike<number>, offset: number, numClasses: number, label: number): number {
  const own = scores[offset + label];
  let rank = 0;
  for (let c = 0; c < numClasses; c++) {
    const s = scores[offset + c];
    if (s > own || (s === own && c < label)) rank++;
  }
  return rank;
}

/**
 * Accuracy summary from class scores `[n, C]` (row-major; any monotone score: logits, kNN votes)
 * and true labels. Group accuracies average the per-class accuracies of the group's classes, so
 * on a balanced test set they equal the sample accuracy of the group.
 */
export function probeAccuracy(scores: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number, groups: ClassGroups): ProbeAccuracy {
  const n = labels.length;
  if (scores.length !== n * numClasses) {
    throw new RangeError(`expected ${n} x ${numClasses} = ${n * numClasses} scores, but got ${scores.length}`);
  }
  const topK = Math.min(5, numClasses);
  const correct = new Float64Array(numClasses);
  const seen = new Float64Array(numClasses);
  let top1 = 0;
  let top5 = 0;
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    const rank = rankOfLabel(scores, i * numClasses, numClasses, label);
    seen[label]++;
    if (rank === 0) {
      top1++;
      correct[label]++;
    }
    if (rank < topK) top5++;
  }
  const perClass = Array.from(seen, (count, c) => (count > 0 ? (100 * correct[c]) / count : null));
  const many = meanOf(groups.many.map((c) => perClass[c]));
  const medium = meanOf(groups.medium.map((c) => perClass[c]));
  const few = meanOf(groups.few.map((c) => perClass[c]));
  return {
    top1: n > 0 ? (100 * top1) / n : 0,
    top5: n > 0 ? (100 * top5) / n : 0,
    perClass,
    many,
    medium,
    few,
    groupStd: many !== null && medium !== null && few !== null ? populationStd([many, medium, few]) : null,
  };
}

/** Arithmetic mean of the non-null values, or null when there is none. */
export function meanOf(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length > 0 ? present.reduce((a, b) => a + b, 0) / present.length : null;
}

/**
 * Population standard deviation (divides by n), NumPy's `np.std` default: the authors' group
 * balance measure (`np.std([major, moderate, minor])` in `disjoint_summary`). 0 for one value.
 */
export function populationStd(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) throw new RangeError('populationStd needs at least one value');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) * (v - mean), 0) / n);
}

/**
 * Sample standard deviation with Bessel's correction (divides by n - 1): the seed-to-seed spread
 * of a protocol's results (never the group balance measure, which is {@link populationStd}).
 * 0 for fewer than two values.
 */
export function sampleStd(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const squares = values.reduce((sum, v) => sum + (v - mean) * (v - mean), 0);
  return Math.sqrt(squares / (n - 1));
}

/**
 * Mean and seed-to-seed sample std of the scalar fields of several `ProbeAccuracy` values (one per
 * seed). `mean.groupStd` is the mean of the runs' group stds, as the authors average
 * `GroupVarienceList` over runs; `std.*` are sample stds (n - 1) across seeds.
 */
export interface AccuracySpread {
  readonly mean: ProbeAccuracy;
  /** Seed-to-seed sample standard deviation (n - 1) of each field; 0 for a single run. */
  readonly std: { readonly top1: number; readonly top5: number; readonly many: number | null; readonly medium: number | null; readonly few: number | null; readonly groupStd: number | null };
}

/** Mean and seed-to-seed sample std of several runs of one protocol; per-class values are averaged. */
export function accuracySpread(runs: readonly ProbeAccuracy[]): AccuracySpread {
  if (runs.length === 0) throw new RangeError('accuracySpread needs at least one run');
  const field = (get: (r: ProbeAccuracy) => number | null): { mean: number | null; std: number | null } => {
    const values = runs.map(get);
    if (values.some((v) => v === null)) return { mean: null, std: null };
    return { mean: meanOf(values), std: sampleStd(values as number[]) };
  };
  const top1 = field((r) => r.top1);
  const top5 = field((r) => r.top5);
  const many = field((r) => r.many);
  const medium = field((r) => r.medium);
  const few = field((r) => r.few);
  const groupStd = field((r) => r.groupStd);
  const perClass = runs[0].perClass.map((_, c) => meanOf(runs.map((r) => r.perClass[c])));
  return {
    mean: { top1: top1.mean!, top5: top5.mean!, perClass, many: many.mean, medium: medium.mean, few: few.mean, groupStd: groupStd.mean },
    std: { top1: top1.std!, top5: top5.std!, many: many.std, medium: medium.std, few: few.std, groupStd: groupStd.std },
  };
}
