import type { IndexedDataset } from '../dataset';
import type { Image } from '../image';
import { DatasetError } from './dataset-error';
import { contentFingerprint } from './fingerprint';

/** Everything needed to build an {@link ArrayDataset}. */
export interface ArrayDatasetInit {
  /** Short human-readable name, e.g. `fashion-mnist-train`. */
  readonly name: string;
  /** All images back to back, HWC, `size * height * width * channels` bytes. */
  readonly pixels: Uint8Array;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** One label per image in [0, numClasses), or -1 when unknown. Omit when no labels exist. */
  readonly labels?: Int32Array;
  /** Number of classes (0 when there are no labels). */
  readonly numClasses: number;
}

/**
 * An {@link IndexedDataset} over images stored contiguously in memory (one allocation instead of
 * one per image, and `image(i)` returns a view, not a copy). Labels are checked once here so the
 * per-sample accessors stay branch-light.
 */
export class ArrayDataset implements IndexedDataset {
  readonly name: string;
  readonly size: number;
  readonly imageShape: { readonly height: number; readonly width: number; readonly channels: number };
  readonly numClasses: number;
  private readonly pixels: Uint8Array;
  private readonly labels: Int32Array | undefined;
  private readonly imageBytes: number;
  private readonly counts: Int32Array;
  private cachedFingerprint: string | undefined;

  constructor(init: ArrayDatasetInit) {
    const { height, width, channels, pixels, labels, numClasses } = init;
    this.imageBytes = height * width * channels;
    if (this.imageBytes <= 0 || pixels.length % this.imageBytes !== 0) {
      throw new DatasetError(
        'bad-option',
        `${init.name}: expected a whole number of ${height}x${width}x${channels} images, but got ${pixels.length} bytes`,
      );
    }
    this.name = init.name;
    this.size = pixels.length / this.imageBytes;
    this.imageShape = { height, width, channels };
    this.numClasses = numClasses;
    this.pixels = pixels;
    this.labels = labels;
    this.counts = new Int32Array(labels ? numClasses : 0);
    if (labels) {
      if (labels.length !== this.size) {
        throw new DatasetError(
          'count-mismatch',
          `${init.name}: expected ${this.size} labels (one per image), but got ${labels.length}`,
        );
      }
      for (let i = 0; i < labels.length; i++) {
        const label = labels[i];
        if (label === -1) continue;
        if (label < 0 || label >= numClasses) {
          throw new DatasetError(
            'bad-label',
            `${init.name}: expected labels in [0, ${numClasses}), but record ${i} has label ${label}`,
          );
        }
        this.counts[label]++;
      }
    }
  }

  image(index: number): Image {
    checkIndex(this, index);
    const start = index * this.imageBytes;
    const { height, width, channels } = this.imageShape;
    return { data: this.pixels.subarray(start, start + this.imageBytes), height, width, channels };
  }

  label(index: number): number {
    checkIndex(this, index);
    return this.labels ? this.labels[index] : -1;
  }

  /** A copy, so callers cannot corrupt the cached counts. */
  classCounts(): Int32Array {
    return this.counts.slice();
  }

  /** Computed on first read (it hashes every pixel) and cached. */
  get fingerprint(): string {
    this.cachedFingerprint ??= contentFingerprint(this);
    return this.cachedFingerprint;
  }
}

/**
 * Throws a RangeError unless `index` is an integer in [0, dataset.size). A RangeError, not a
 * DatasetError: a bad per-sample index is a bug in the caller, not a problem with the data.
 */
export function checkIndex(dataset: { readonly name: string; readonly size: number }, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= dataset.size) {
    throw new RangeError(`${dataset.name}: expected an index in [0, ${dataset.size}), but got ${index}`);
  }
}
