import { createHash } from 'node:crypto';
import type { IndexedDataset } from '../dataset';

/** Bumped whenever the hashed layout changes, so old fingerprints never collide with new ones. */
const FINGERPRINT_VERSION = 'bcl-ssl/indexed-dataset/v1';

/**
 * SHA-256 (hex) of a dataset's shape and bytes: a version tag, then size, height, width, channels
 * and numClasses as uint32 little endian, then every image's bytes in index order, then every
 * label as int32 little endian.
 *
 * The name is left out on purpose: two datasets with the same images and labels in the same order
 * are the same data for resuming, however they were built (loaded whole or as a subset view).
 * Cost: one pass over the pixels (about 0.1 s for the 47 MB Fashion-MNIST train set).
 */
export function contentFingerprint(dataset: Omit<IndexedDataset, 'fingerprint'>): string {
  const hash = createHash('sha256');
  hash.update(FINGERPRINT_VERSION);
  const { height, width, channels } = dataset.imageShape;
  const header = new DataView(new ArrayBuffer(20));
  [dataset.size, height, width, channels, dataset.numClasses].forEach((value, i) =>
    header.setUint32(i * 4, value, true),
  );
  hash.update(new Uint8Array(header.buffer));
  for (let i = 0; i < dataset.size; i++) hash.update(dataset.image(i).data);
  const labels = new DataView(new ArrayBuffer(dataset.size * 4));
  for (let i = 0; i < dataset.size; i++) labels.setInt32(i * 4, dataset.label(i), true);
  hash.update(new Uint8Array(labels.buffer));
  return hash.digest('hex');
}
