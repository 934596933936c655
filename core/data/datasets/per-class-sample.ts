import type { IndexedDataset } from '../dataset';
import { deriveSeed, Rng } from '../../random/rng';
import { DatasetError } from './dataset-error';

/**
 * Every dataset index grouped by label: `result[c]` lists the indices of class `c`, ascending.
 * Unlabelled records (label -1) are left out.
 */
export function indicesByClass(dataset: IndexedDataset): number[][] {
  if (dataset.numClasses === 0 || dataset.classCounts().length === 0) {
    throw new DatasetError('bad-option', `${dataset.name} has no labels, so it cannot be split by class`);
  }
  const byClass: number[][] = Array.from({ length: dataset.numClasses }, () => []);
  for (let i = 0; i < dataset.size; i++) {
    const label = dataset.label(i);
    if (label >= 0) byClass[label].push(i);
  }
  return byClass;
}

/**
 * Picks `wanted[c]` records of each class `c` uniformly without replacement and returns their
 * dataset indices sorted ascending (so the subset keeps the source's interleaving of classes).
 *
 * Each class draws from its own stream `Rng(deriveSeed(seed, c))` and takes a prefix of a full
 * shuffle: the choice for one class does not depend on the other classes' counts, and asking for
 * more records of a class with the same seed returns a superset of the smaller choice.
 */
export function samplePerClass(dataset: IndexedDataset, wanted: ArrayLike<number>, seed: number): Int32Array {
  const byClass = indicesByClass(dataset);
  const chosen: number[] = [];
  for (let c = 0; c < byClass.length; c++) {
    const n = wanted[c];
    const available = byClass[c];
    if (n > available.length) {
      throw new DatasetError(
        'bad-option',
        `expected at most ${available.length} records of class ${c} (all that ${dataset.name} has), but ${n} were asked for`,
        { hint: 'lower nMax or k, or use a larger source dataset' },
      );
    }
    const shuffled = new Rng(deriveSeed(seed, c)).shuffle(available.slice());
    for (let i = 0; i < n; i++) chosen.push(shuffled[i]);
  }
  return Int32Array.from(chosen).sort();
}

/**
 * Keeps the first `wanted[c]` records of each class `c` in file (index) order, as the BCL / SDCLR
 * authors build their long-tailed Fashion-MNIST and CIFAR splits (`np.where(labels == c)[0][:n_c]`).
 * Returns the chosen dataset indices ascending.
 */
export function firstPerClass(dataset: IndexedDataset, wanted: ArrayLike<number>): Int32Array {
  const byClass = indicesByClass(dataset);
  const chosen: number[] = [];
  for (let c = 0; c < byClass.length; c++) {
    const n = wanted[c];
    if (n > byClass[c].length) {
      throw new DatasetError(
        'bad-option',
        `expected at most ${byClass[c].length} records of class ${c} (all that ${dataset.name} has), but ${n} were asked for`,
        { hint: 'lower nMax, or use a larger source dataset' },
      );
    }
    for (let i = 0; i < n; i++) chosen.push(byClass[c][i]);
  }
  return Int32Array.from(chosen).sort();
}
