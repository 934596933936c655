import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexedDataset } from '../dataset';
import { DatasetError } from './dataset-error';
import { loadIdxDataset } from './idx-dataset';
import { checkSplit, type Split } from './split';

/** Where Debian's `dataset-fashion-mnist` package installs the four IDX files. */
export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';

/** Fashion-MNIST's class names, indexed by label. */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

/** Options of {@link loadFashionMnist}. */
export interface FashionMnistOptions {
  /** Folder holding `train-images-idx3-ubyte.gz` etc. Default {@link FASHION_MNIST_DEFAULT_DIR}. */
  readonly dir?: string;
  /** `train` (60 000 images) or `test` (10 000 images). */
  readonly split: Split;
}

/**
 * Loads Fashion-MNIST (Xiao et al. 2017, MIT licence): 28x28 grey images of 10 clothing classes,
 * balanced (6 000 train / 1 000 test per class). Files may be gzipped (`.gz`, as distributed) or
 * already decompressed (same name without `.gz`).
 *
 * Throws a {@link DatasetError} (code `DATASET_MISSING`) that says how to install it when absent.
 */
export async function loadFashionMnist(options: FashionMnistOptions): Promise<IndexedDataset> {
  const dir = options.dir ?? FASHION_MNIST_DEFAULT_DIR;
  checkSplit(options.split);
  const prefix = options.split === 'train' ? 'train' : 't10k';
  return loadIdxDataset({
    name: `fashion-mnist-${options.split}`,
    imagesFile: findFile(dir, `${prefix}-images-idx3-ubyte`),
    labelsFile: findFile(dir, `${prefix}-labels-idx1-ubyte`),
    numClasses: FASHION_MNIST_CLASSES.length,
  });
}

/** Prefers the distributed `.gz`, falls back to a decompressed copy. */
function findFile(dir: string, base: string): string {
  for (const name of [`${base}.gz`, base]) {
    const file = join(dir, name);
    if (existsSync(file)) return file;
  }
  throw new DatasetError('not-found', `Fashion-MNIST not found: no ${base}.gz (or ${base}) in ${dir}`, {
    hint:
      'on Debian/Ubuntu run `apt-get install dataset-fashion-mnist` (installs to ' +
      `${FASHION_MNIST_DEFAULT_DIR}), or download the four files from ` +
      'https://github.com/zalandoresearch/fashion-mnist (data/fashion) and pass { dir }',
  });
}
