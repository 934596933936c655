import type { IndexedDataset } from '../dataset';
import { ArrayDataset } from './array-dataset';
import { DatasetError } from './dataset-error';
import { readIdxImages, readIdxLabels } from './idx-reader';

/** Options of {@link loadIdxDataset}. */
export interface IdxDatasetOptions {
  /** Name the dataset reports, e.g. `fashion-mnist-train`. */
  readonly name: string;
  /** Path of the IDX image file (magic 0x00000803), gzipped or not. */
  readonly imagesFile: string;
  /** Path of the IDX label file (magic 0x00000801), gzipped or not. */
  readonly labelsFile: string;
  /** Number of classes; every label must be below it. */
  readonly numClasses: number;
}

/** Loads a pair of IDX files (images + labels) as a one-channel {@link IndexedDataset}. */
export async function loadIdxDataset(options: IdxDatasetOptions): Promise<IndexedDataset> {
  const [images, labels] = await Promise.all([readIdxImages(options.imagesFile), readIdxLabels(options.labelsFile)]);
  if (labels.length !== images.count) {
    throw new DatasetError(
      'count-mismatch',
      `expected ${images.count} labels (one per image in ${options.imagesFile}), but the label file has ${labels.length}`,
      { file: options.labelsFile, hint: 'the image and label files come from different splits or versions' },
    );
  }
  return new ArrayDataset({
    name: options.name,
    pixels: images.pixels,
    height: images.height,
    width: images.width,
    channels: 1,
    labels: Int32Array.from(labels),
    numClasses: options.numClasses,
  });
}
