import type { DatasetSpec } from '../recipes/recipe-schema';
import type { IndexedDataset } from './dataset';
import { loadEmbeddedFashionMnistLt } from './datasets/embedded-fashion-mnist-lt';
import { loadFashionMnist } from './datasets/fashion-mnist';
import { makeLongTailed } from './datasets/long-tail';
import { syntheticDataset } from './synthetic-dataset';

/** Builds the training dataset a recipe's `data.dataset` describes. */
export async function loadTrainingDataset(spec: DatasetSpec, seed: number): Promise<IndexedDataset> {
  switch (spec.type) {
    case 'embedded-fashion-mnist-lt':
      return loadEmbeddedFashionMnistLt({ split: 'train' });
    case 'fashion-mnist': {
      const full = await loadFashionMnist({ dir: spec.dir, split: 'train' });
      return spec.imbalanceRatio === undefined ? full : makeLongTailed(full, { ratio: spec.imbalanceRatio, seed });
    }
    case 'synthetic':
      return syntheticDataset({ ...spec, seed });
  }
}
