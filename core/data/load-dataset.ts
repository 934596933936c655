import type { DatasetSpec } from '../recipes/recipe-schema';
import type { IndexedDataset } from './dataset';
import { loadCifar10, loadCifar100 } from './datasets/cifar-binary';
import { classPermutation } from './datasets/class-permutation';
import { readNpyIndices } from './datasets/npy-reader';
import { subsetByIndices } from './datasets/subset';
import { loadEmbeddedFashionMnistLt } from './datasets/embedded-fashion-mnist-lt';
import { loadFashionMnist } from './datasets/fashion-mnist';
import { DatasetError } from './datasets/dataset-error';
import { loadImageList } from './datasets/image-list';
import { makeLongTailed } from './datasets/long-tail';
import { padAndReplicate } from './datasets/pad-replicate';
import type { Split } from './datasets/split';
import { syntheticDataset } from './synthetic-dataset';

/**
 * The dataset a recipe's `data.dataset` describes. `train` is the (long-tailed) training set;
 * `test` is the matching balanced test set used for evaluation (for synthetic data: fresh images
 * from another seed). `padTo` / `channels` apply to both splits.
 */
export async function loadDataset(spec: DatasetSpec, seed: number, split: Split = 'train'): Promise<IndexedDataset> {
  switch (spec.type) {
    case 'embedded-fashion-mnist-lt':
      return withImageFields(spec, await loadEmbeddedFashionMnistLt({ split }));
    case 'fashion-mnist': {
      const full = await loadFashionMnist({ dir: spec.dir, split });
      return withImageFields(spec, split === 'train' ? await trainingSubset(spec, full, seed) : full);
    }
    case 'cifar-10':
    case 'cifar-100': {
      const full = spec.type === 'cifar-10' ? await loadCifar10({ dir: spec.dir, split }) : await loadCifar100({ dir: spec.dir, split });
      return split === 'train' ? trainingSubset(spec, full, seed) : full;
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

/**
 * The balanced training set the full-shot linear probe trains on for a balanced-source spec
 * (Fashion-MNIST, CIFAR): the whole training split, or the rows of `probeIndicesFile`, with the
 * spec's `padTo` / `channels` applied like the training set. Undefined for other dataset types.
 */
export async function loadProbeTrainingSet(spec: DatasetSpec): Promise<IndexedDataset | undefined> {
  let full: IndexedDataset;
  if (spec.type === 'fashion-mnist' || spec.type === 'embedded-fashion-mnist-lt') {
    full = await loadFashionMnist({ dir: spec.type === 'fashion-mnist' ? spec.dir : undefined, split: 'train' });
  } else if (spec.type === 'cifar-10' || spec.type === 'cifar-100') {
    full = spec.type === 'cifar-10' ? await loadCifar10({ dir: spec.dir, split: 'train' }) : await loadCifar100({ dir: spec.dir, split: 'train' });
  } else {
    return undefined;
  }
  const file = 'probeIndicesFile' in spec ? spec.probeIndicesFile : undefined;
  const chosen = file === undefined ? full : subsetByIndices(full, await readNpyIndices(file), { name: `${full.name}(${file})` });
  return spec.type === 'fashion-mnist' || spec.type === 'embedded-fashion-mnist-lt' ? withImageFields(spec, chosen) : chosen;
}

type BalancedSourceSpec = Extract<DatasetSpec, { type: 'fashion-mnist' | 'cifar-10' | 'cifar-100' }>;

/** The long-tailed (or index-listed) training subset of a balanced training split, as the spec asks. */
async function trainingSubset(spec: BalancedSourceSpec, full: IndexedDataset, seed: number): Promise<IndexedDataset> {
  const where = 'recipe.data.dataset';
  const tailFields = (['nMax', 'classPermutationSeed', 'select', 'sampleSeed'] as const).filter((f) => spec[f] !== undefined);
  if (spec.indicesFile !== undefined) {
    if (spec.imbalanceRatio !== undefined || tailFields.length > 0) {
      throw new DatasetError('bad-option', `${where}.indicesFile names the training subset, so ${where}.${spec.imbalanceRatio !== undefined ? 'imbalanceRatio' : tailFields[0]} cannot also be set`, {
        hint: 'keep either indicesFile (a published split) or imbalanceRatio and its profile fields',
      });
    }
    return subsetByIndices(full, await readNpyIndices(spec.indicesFile), { name: `${full.name}-lt(${spec.indicesFile})` });
  }
  if (spec.imbalanceRatio === undefined) {
    if (tailFields.length > 0) {
      throw new DatasetError('bad-option', `${where}.${tailFields[0]} shapes a long-tail profile, but ${where}.imbalanceRatio is not set`, {
        hint: 'add "imbalanceRatio": 100 (or remove the profile fields for the balanced set)',
      });
    }
    return full;
  }
  const classOrder = spec.classPermutationSeed === undefined ? undefined : classPermutation(full.numClasses, spec.classPermutationSeed);
  const suffix = spec.classPermutationSeed === undefined ? '' : `,perm=${spec.classPermutationSeed}`;
  return makeLongTailed(full, {
    ratio: spec.imbalanceRatio,
    nMax: spec.nMax,
    seed: spec.sampleSeed ?? seed,
    select: spec.select,
    classOrder,
    name: `${full.name}-lt(r=${spec.imbalanceRatio}${suffix}${spec.select === 'first' ? ',first' : ''})`,
  });
}

function withImageFields(spec: { readonly padTo?: number; readonly channels?: 3 }, dataset: IndexedDataset): IndexedDataset {
  return padAndReplicate(dataset, { padTo: spec.padTo, channels: spec.channels });
}
