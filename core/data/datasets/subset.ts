import type { IndexedDataset } from '../dataset';
import type { Image } from '../image';
import { checkIndex } from './array-dataset';
import { DatasetError } from './dataset-error';
import { contentFingerprint } from './fingerprint';

/**
 * A view of some records of another dataset, re-indexed 0..size-1. No pixels are copied: the view
 * keeps the parent alive and maps each index through `indices`.
 */
export class SubsetDataset implements IndexedDataset {
  readonly name: string;
  readonly size: number;
  readonly imageShape: { readonly height: number; readonly width: number; readonly channels: number };
  readonly numClasses: number;
  /** The dataset this view reads from. */
  readonly parent: IndexedDataset;
  /** `indices[i]` is the parent index of this view's index `i` (a private copy; do not mutate). */
  readonly indices: Int32Array;
  private readonly counts: Int32Array;
  private cachedFingerprint: string | undefined;

  constructor(parent: IndexedDataset, indices: Int32Array, name: string) {
    this.parent = parent;
    this.indices = indices;
    this.name = name;
    this.size = indices.length;
    this.imageShape = parent.imageShape;
    this.numClasses = parent.numClasses;
    // Labels are -1 when unknown; then counts stay empty, as the interface asks.
    const hasLabels = parent.classCounts().length > 0;
    this.counts = new Int32Array(hasLabels ? parent.numClasses : 0);
    if (hasLabels) {
      for (const index of indices) {
        const label = parent.label(index);
        if (label >= 0) this.counts[label]++;
      }
    }
  }

  image(index: number): Image {
    checkIndex(this, index);
    return this.parent.image(this.indices[index]);
  }

  label(index: number): number {
    checkIndex(this, index);
    return this.parent.label(this.indices[index]);
  }

  /** A copy, so callers cannot corrupt the cached counts. */
  classCounts(): Int32Array {
    return this.counts.slice();
  }

  /**
   * Hash of this view's own shape and bytes (not the parent's), so a subset equals a dataset that
   * holds the same records in the same order. Computed on first read and cached.
   */
  get fingerprint(): string {
    this.cachedFingerprint ??= contentFingerprint(this);
    return this.cachedFingerprint;
  }
}

/** Options of {@link subsetByIndices}. */
export interface SubsetOptions {
  /** Name of the view. Default `<parent name>-subset(<size>)`. */
  readonly name?: string;
}

/**
 * A view of `dataset` holding the records at `indices`, in that order (e.g. a published
 * long-tailed split read with `readNpyIndices`). Repeated indices are allowed and repeat the
 * record. Throws an `index-out-of-range` DatasetError naming the position of the first bad index.
 */
export function subsetByIndices(
  dataset: IndexedDataset,
  indices: ArrayLike<number>,
  options: SubsetOptions = {},
): SubsetDataset {
  const copy = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    if (!Number.isInteger(index) || index < 0 || index >= dataset.size) {
      throw new DatasetError(
        'index-out-of-range',
        `expected indices in [0, ${dataset.size}) of ${dataset.name}, but indices[${i}] is ${index}`,
      );
    }
    copy[i] = index;
  }
  return new SubsetDataset(dataset, copy, options.name ?? `${dataset.name}-subset(${copy.length})`);
}
