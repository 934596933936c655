import type { IndexedDataset } from '../data/dataset';
import { normalisation } from '../eval/features';
import type { Rng } from '../random/rng';

/**
 * One epoch of class-balanced sampling (Kang et al. 2020's class-aware sampler): `count` draws,
 * each picking a class uniformly among the classes present, then one of its samples uniformly
 * (with replacement). `labels[i]` is sample i's class.
 */
export function classBalancedOrder(labels: ArrayLike<number>, numClasses: number, count: number, rng: Rng): Int32Array {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) byClass[labels[i]].push(i);
  const present = byClass.filter((members) => members.length > 0);
  if (present.length === 0) throw new RangeError('class-balanced sampling needs at least one labelled sample');
  const order = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const members = present[rng.int(present.length)];
    order[k] = members[rng.int(members.length)];
  }
  return order;
}

/** Options of {@link supervisedBatch}. */
export interface SupervisedBatchOptions {
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** Zero padding of the random crop (0: no crop). */
  readonly cropPadding: number;
  /** Probability of a horizontal flip. */
  readonly flip: number;
}

/**
 * The normalised NHWC pixels of `indices` with the standard supervised CIFAR augmentation: a
 * random crop of the image zero-padded by `cropPadding` on each side (padding is 0 in pixel
 * values, i.e. black, before normalisation, as torchvision's `RandomCrop(32, padding=4)`), then a
 * horizontal flip with probability `flip`. Host arrays; the caller makes the tensor.
 */
export function supervisedBatch(dataset: IndexedDataset, indices: ArrayLike<number>, rng: Rng, options: SupervisedBatchOptions): { pixels: Float32Array; labels: Int32Array } {
  const { height, width, channels } = dataset.imageShape;
  const { scale, shift } = normalisation(options.mean, options.std, channels);
  const pad = options.cropPadding;
  const imagePixels = height * width * channels;
  const pixels = new Float32Array(indices.length * imagePixels);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const data = dataset.image(indices[i]).data;
    labels[i] = dataset.label(indices[i]);
    const dy = pad > 0 ? rng.int(2 * pad + 1) - pad : 0;
    const dx = pad > 0 ? rng.int(2 * pad + 1) - pad : 0;
    const mirror = rng.next() < options.flip;
    const out = i * imagePixels;
    for (let y = 0; y < height; y++) {
      const sy = y + dy;
      for (let x = 0; x < width; x++) {
        const sx = (mirror ? width - 1 - x : x) + dx;
        const inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
        for (let c = 0; c < channels; c++) {
          const value = inside ? data[(sy * width + sx) * channels + c] : 0;
          pixels[out + (y * width + x) * channels + c] = value * scale[c] + shift[c];
        }
      }
    }
  }
  return { pixels, labels };
}
