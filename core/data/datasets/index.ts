/**
 * Public API of bcl-ssl's datasets: readers for Fashion-MNIST (IDX), CIFAR-10/100 (binary) and
 * NumPy index lists, the committed long-tailed Fashion-MNIST default, and builders for
 * long-tailed, k-shot and index subsets. Every loader returns an `IndexedDataset`.
 * See docs/datasets.md.
 */
export { ArrayDataset, type ArrayDatasetInit } from './array-dataset';
export { balancedKShot, type KShotOptions } from './k-shot';
export {
  loadCifar10,
  loadCifar100,
  parseCifarBinary,
  readCifarBinaryFiles,
  type Cifar10Options,
  type Cifar100Options,
  type CifarRecordFormat,
  type CifarRecords,
} from './cifar-binary';
export { classGroups, type ClassGroup, type ClassGroupRule, type ClassGroups } from './class-groups';
export { DatasetError, type DatasetErrorDetails, type DatasetErrorReason } from './dataset-error';
export {
  EMBEDDED_BASE_NAME,
  embeddedDir,
  loadEmbeddedFashionMnistLt,
  readEmbeddedManifest,
  type EmbeddedFashionMnistLtOptions,
  type EmbeddedManifest,
  type EmbeddedSplitManifest,
} from './embedded-fashion-mnist-lt';
export {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DEFAULT_DIR,
  loadFashionMnist,
  type FashionMnistOptions,
} from './fashion-mnist';
export { contentFingerprint } from './fingerprint';
export { loadIdxDataset, type IdxDatasetOptions } from './idx-dataset';
export {
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  parseIdxImages,
  parseIdxLabels,
  readIdxImages,
  readIdxLabels,
  type IdxImages,
} from './idx-reader';
export { encodeIdxImages, encodeIdxLabels } from './idx-writer';
export { classPermutation } from './class-permutation';
export { longTailCounts, makeLongTailed, type LongTailOptions, type LongTailSelect } from './long-tail';
export { padAndReplicate, type PadReplicateOptions } from './pad-replicate';
export { parseNpyIndices, readNpyIndices } from './npy-reader';
export { encodeNpy, encodeNpyIndices } from './npy-writer';
export { firstPerClass, indicesByClass, samplePerClass } from './per-class-sample';
export { checkSplit, type Split } from './split';
export { SubsetDataset, subsetByIndices, type SubsetOptions } from './subset';
export { loadImageList, type ImageListOptions } from './image-list';
