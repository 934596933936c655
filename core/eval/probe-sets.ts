import type { IndexedDataset } from '../data/dataset';
import { classGroups, type ClassGroupRule, type ClassGroups } from '../data/datasets/class-groups';
import { DatasetError } from '../data/datasets/dataset-error';
import { balancedKShot } from '../data/datasets/k-shot';
import type { SubsetDataset } from '../data/datasets/subset';
import { loadProbeTrainingSet } from '../data/load-dataset';
import type { DatasetSpec } from '../recipes/recipe-schema';

/** How many labelled samples per class the linear probe trains on: all of a balanced set, or k. */
export type Shots = 'full' | number;

/**
 * Where the balanced full-shot set comes from. The training set is long-tailed, and the BCL
 * authors train the probe on balanced data (all of CIFAR-100's training split, or 100- and 50-shot
 * subsets of it), so:
 * - a training set that is already balanced is its own full-shot set (e.g. synthetic data);
 * - for Fashion-MNIST based recipes (`embedded-fashion-mnist-lt`, `fashion-mnist`) it is the full
 *   Fashion-MNIST training split (60 000 images, 6 000 per class) when installed, and for CIFAR
 *   the full CIFAR training split; `probeIndicesFile` narrows either to a published index list;
 *   `padTo` / `channels` apply as to the training set;
 * - otherwise there is none, and protocols that need it are skipped with the reason.
 */
export async function balancedTrainSource(spec: DatasetSpec, train: IndexedDataset): Promise<{ dataset: IndexedDataset } | { reason: string }> {
  if (isBalanced(train)) return { dataset: train };
  try {
    const dataset = await loadProbeTrainingSet(spec);
    if (dataset) return { dataset };
  } catch (error) {
    if (error instanceof DatasetError && error.reason === 'not-found' && (spec.type === 'embedded-fashion-mnist-lt' || spec.type === 'fashion-mnist')) {
      return { reason: `needs the balanced Fashion-MNIST training split, which is not installed (apt-get install dataset-fashion-mnist)` };
    }
    throw error;
  }
  return { reason: `no balanced training split is known for dataset type "${spec.type}"` };
}

/** True when every class has the same number of samples (and there are labels). */
export function isBalanced(dataset: IndexedDataset): boolean {
  const counts = dataset.classCounts();
  return counts.length > 0 && counts.every((n) => n === counts[0]) && counts[0] > 0;
}

/**
 * The k-shot probe set for one seed: k samples per class of the long-tailed training set when
 * every class has at least k (so the probe sees only images the SSL run saw), otherwise of the
 * balanced full training split; `undefined` when neither has k of every class.
 */
export function kShotSet(k: number, seed: number, train: IndexedDataset, balanced: IndexedDataset | undefined): SubsetDataset | undefined {
  const fits = (d: IndexedDataset): boolean => {
    const counts = d.classCounts();
    return counts.length > 0 && counts.every((n) => n >= k);
  };
  if (fits(train)) return balancedKShot(train, { k, seed });
  if (balanced && fits(balanced)) return balancedKShot(balanced, { k, seed });
  return undefined;
}

/** Which Many / Medium / Few rule a dataset uses: `auto` picks per dataset (see {@link groupRuleFor}). */
export type GroupRuleName = 'auto' | 'thirds' | 'authors-thirds' | 'thresholds';

/**
 * The grouping rule for a training set's class counts. `auto`: CIFAR-LT style thirds by frequency
 * (as SDCLR and BCL report CIFAR-100-LT) for up to 100 classes, which covers Fashion-MNIST-LT,
 * CIFAR-10/100-LT and synthetic sets; ImageNet-LT style thresholds (> 100 Many, < 20 Few
 * training images) for more classes (ImageNet-LT, Places-LT, iNaturalist).
 */
export function groupRuleFor(counts: ArrayLike<number>, name: GroupRuleName = 'auto'): ClassGroupRule {
  if (name === 'authors-thirds') return { kind: 'authors-thirds' };
  if (name === 'thirds' || (name === 'auto' && counts.length <= 100)) return { kind: 'thirds' };
  return { kind: 'thresholds', manyAbove: 100, fewBelow: 20 };
}

/** Many / Medium / Few of a training set under the chosen rule. */
export function groupsFor(train: IndexedDataset, name: GroupRuleName = 'auto'): { rule: ClassGroupRule; groups: ClassGroups } {
  const counts = train.classCounts();
  const rule = groupRuleFor(counts, name);
  return { rule, groups: classGroups(counts, rule) };
}
