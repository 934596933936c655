import type { DatasetSpec } from '../recipes/recipe-schema';
import type { IndexedDataset } from './dataset';
import { loadCifar10, loadCifar100 } from './datasets/cifar-binary';
import { readNpyIndices } from './datasets/npy-reader';
import { subsetByIndices } from './datasets/subset';
import { loadEmbeddedFashionMnistLt } from './datasets/embedded-fashion-mnist-lt';
import { loadFashionMnist } from './datasets/fashion-mnist';
import { DatasetError } from './datasets/dataset-error';
import { loadImageList } from './datasets/image-list';
import { makeLongTailed } from './datasets/long-tail';
import type { Split } from './datasets/split';
import { syntheticDataset } from './synthetic-dataset';

/**
 * The dataset a recipe's `data.dataset` describes. `train` is the (long-tailed) training set;
 * `test` is the matching balanced test set used for evaluation (for synthetic data: fresh images
 * from another seed).
 */
export async function loadDataset(spec: DatasetSpec, seed: number, split: Split = 'train'): Promise<IndexedDataset> {
  switch (spec.type) {
    case 'embedded-fashion-mnist-lt':
      return loadEmbeddedFashionMnistLt({ split });
    case 'fashion-mnist': {
      const full = await loadFashionMnist({ dir: spec.dir, split });
      return split === 'train' && spec.imbalanceRatio !== undefined ? makeLongTailed(full, { ratio: spec.imbalanceRatio, seed }) : full;
    }
    case 'cifar-10':
    case 'cifar-100': {
      const full = spec.type === 'cifar-10' ? await loadCifar10({ dir: spec.dir, split }) : await loadCifar100({ dir: spec.dir, split });
      if (split !== 'train') return full;
      if (spec.indicesFile !== undefined) return subsetByIndices(full, await readNpyIndices(spec.indicesFile), { name: `${full.name}-lt(${spec.indicesFile})` });
      return spec.imbalanceRatio === undefined ? full : makeLongTailed(full, { ratio: spec.imbalanceRatio, seed });
    }
    case 'image-list': {
      const listFile = split === 'train' ? spec.listFile : spec.testListFile;
      if (listFile === undefined) {
        throw new DatasetError('bad-option', 'recipe.data.dataset.testListFile is needed to evaluate on an image-list dataset, but it is not set', {
          hint: 'add the published test list, e.g. "testListFile": "ImageNet_LT_test.txt"',
        });
      }
      return loadImageList({ listFile, root: spec.root, size: spec.size, fit: spec.fit, channels: spec.channels });
    }
    case 'synthetic':
      return syntheticDataset({ ...spec, seed: split === 'train' ? seed : seed + 0x7e57 });
  }
}

/** The training set of a recipe. */
export function loadTrainingDataset(spec: DatasetSpec, seed: number): Promise<IndexedDataset> {
  return loadDataset(spec, seed, 'train');
}
