import * as tf from '@tensorflow/tfjs';
import type { IndexedDataset } from '../data/dataset';

/** Frozen features of some images with their labels, on the host. */
export interface FeatureSet {
  /** Number of samples. */
  readonly size: number;
  /** Feature dimension D. */
  readonly dim: number;
  /** Row-major `[size, dim]`. */
  readonly features: Float32Array;
  /** `labels[i]` is the class of row i (-1 when unknown). */
  readonly labels: Int32Array;
}

/** Maps a normalised NHWC batch to features `[B, D]`; the caller owns the result (e.g. `SslMethod.encode`). */
export type Encode = (images: tf.Tensor4D) => tf.Tensor2D;

/** Options of {@link extractFeatures}. */
export interface FeatureOptions {
  /** Per-channel mean in [0, 1] units (`recipe.data.mean`; length 1 broadcasts). */
  readonly mean: readonly number[];
  /** Per-channel std in [0, 1] units (`recipe.data.std`). */
  readonly std: readonly number[];
  /** Images per forward pass. Default 256. */
  readonly batchSize?: number;
  /** Dataset indices to encode, in this order. Default: all, in index order. */
  readonly indices?: ArrayLike<number>;
}

/**
 * Encodes every image (or `indices`) of `dataset` without augmentation: each image is normalised
 * exactly as the training view pipeline does, `(x / 255 - mean) / std` per channel, and passed
 * through `encode` in batches. One host read per batch; no tensor outlives its batch. The caller
 * owns the returned arrays.
 */
export async function extractFeatures(encode: Encode, dataset: IndexedDataset, options: FeatureOptions): Promise<FeatureSet> {
  const { height, width, channels } = dataset.imageShape;
  const pixels = height * width * channels;
  const batchSize = options.batchSize ?? 256;
  const indices = options.indices ?? Int32Array.from({ length: dataset.size }, (_, i) => i);
  const size = indices.length;
  const { scale, shift } = normalisation(options.mean, options.std, channels);
  const labels = new Int32Array(size);
  let features = new Float32Array(0);
  let dim = 0;
  for (let start = 0; start < size; start += batchSize) {
    const count = Math.min(batchSize, size - start);
    const buffer = new Float32Array(count * pixels);
    for (let i = 0; i < count; i++) {
      const index = indices[start + i];
      labels[start + i] = dataset.label(index);
      const data = dataset.image(index).data;
      const offset = i * pixels;
      // The same multiply-add per pixel as ViewPipeline, so features match what training saw.
      for (let p = 0; p < pixels; p += channels) {
        for (let c = 0; c < channels; c++) buffer[offset + p + c] = data[p + c] * scale[c] + shift[c];
      }
    }
    const batch = tf.tidy(() => encode(tf.tensor4d(buffer, [count, height, width, channels])));
    try {
      if (batch.shape[0] !== count) throw new RangeError(`encode returned ${batch.shape[0]} rows for a batch of ${count} images`);
      if (dim === 0) {
        dim = batch.shape[1];
        features = new Float32Array(size * dim);
      }
      features.set(await batch.data(), start * dim);
    } finally {
      batch.dispose();
    }
  }
  return { size, dim, features, labels };
}

/** Rows `rows` of a feature set, in that order (a copy). */
export function selectRows(set: FeatureSet, rows: ArrayLike<number>): FeatureSet {
  const { dim } = set;
  const features = new Float32Array(rows.length * dim);
  const labels = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!(r >= 0 && r < set.size)) throw new RangeError(`row ${r} is outside [0, ${set.size})`);
    features.set(set.features.subarray(r * dim, (r + 1) * dim), i * dim);
    labels[i] = set.labels[r];
  }
  return { size: rows.length, dim, features, labels };
}

/** `(x/255 - mean)/std` folded into `x * scale + shift` per channel. */
export function normalisation(mean: readonly number[], std: readonly number[], channels: number): { scale: Float32Array; shift: Float32Array } {
  const scale = new Float32Array(channels);
  const shift = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const m = mean[mean.length === 1 ? 0 : c];
    const s = std[std.length === 1 ? 0 : c];
    scale[c] = 1 / (255 * s);
    shift[c] = -m / s;
  }
  return { scale, shift };
}
