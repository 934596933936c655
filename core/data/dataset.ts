import type { Image } from './image';

/**
 * A finite, indexed dataset of images. Indices are stable dataset indices in [0, size): the
 * trainer reports per-sample losses against them, and add-ons such as BCL keep per-index state.
 * Labels are optional and are never used for self-supervised training (only for analysis and
 * evaluation).
 */
export interface IndexedDataset {
  /** A short human-readable name, e.g. `fashion-mnist-lt(r=100)`. */
  readonly name: string;
  readonly size: number;
  /** Shape every image of this dataset has. */
  readonly imageShape: { readonly height: number; readonly width: number; readonly channels: number };
  /** Number of classes when labels are known, else 0. */
  readonly numClasses: number;
  /** The image at dataset index `index` (0 <= index < size). The returned buffer must not be mutated. */
  image(index: number): Image;
  /** The label at `index`, or -1 when unknown. */
  label(index: number): number;
  /** Per-class sample counts (length numClasses), empty when labels are unknown. */
  classCounts(): Int32Array;
  /** A stable content fingerprint (e.g. a SHA-256 of sizes and bytes) used to refuse resuming on other data. */
  readonly fingerprint: string;
}
