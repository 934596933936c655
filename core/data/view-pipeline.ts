import * as tf from '@tensorflow/tfjs';
import type { AugmentationPolicy } from '../hooks/contexts';
import { deriveSeed, Rng } from '../random/rng';
import type { IndexedDataset } from './dataset';
import type { Image } from './image';

/** The base augmentation every view gets (e.g. the SimCLR pipeline); must draw only from `rng`. */
export type BaseAugmentation = (image: Image, rng: Rng) => Image;

/** Applies sample `i`'s part of an augmentation policy after the base augmentation. */
export type PolicyAugmentation = (image: Image, rng: Rng, policy: AugmentationPolicy, i: number) => Image;

/** Options of the view pipeline. */
export interface ViewPipelineOptions {
  readonly seed: number;
  readonly base: BaseAugmentation;
  readonly policy: PolicyAugmentation;
  /** Per-channel mean and std in [0,1] units (length 1 broadcasts to every channel). */
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** Stream tag separating augmentation draws from other seeded streams. */
const VIEW_STREAM = 0x71e3;

/**
 * Turns a batch's dataset indices into V float32 NHWC tensors of augmented, normalised views.
 * A view is a function of (seed, epoch, sample index, view number) and the policy only, so a
 * resumed run sees exactly the views it would have seen.
 */
export class ViewPipeline {
  private readonly scale: Float32Array;
  private readonly shift: Float32Array;

  constructor(
    private readonly dataset: IndexedDataset,
    private readonly options: ViewPipelineOptions,
  ) {
    const channels = dataset.imageShape.channels;
    this.scale = new Float32Array(channels);
    this.shift = new Float32Array(channels);
    for (let c = 0; c < channels; c++) {
      const mean = options.mean[options.mean.length === 1 ? 0 : c];
      const std = options.std[options.std.length === 1 ? 0 : c];
      // (x/255 - mean)/std folded into one multiply-add per pixel.
      this.scale[c] = 1 / (255 * std);
      this.shift[c] = -mean / std;
    }
  }

  /** The augmented views; the caller owns the returned tensors. */
  views(indices: Int32Array, epoch: number, viewCount: number, policy: AugmentationPolicy): tf.Tensor4D[] {
    const { height, width, channels } = this.dataset.imageShape;
    const pixels = height * width * channels;
    const out: tf.Tensor4D[] = [];
    for (let view = 0; view < viewCount; view++) {
      const buffer = new Float32Array(indices.length * pixels);
      for (let i = 0; i < indices.length; i++) {
        const image = this.augment(indices[i], epoch, view, policy, i);
        if (image.data.length !== pixels) {
          throw new Error(`augmentation changed the image shape of sample ${indices[i]}: ${image.height}x${image.width}x${image.channels}`);
        }
        this.normalizeInto(image.data, buffer, i * pixels, channels);
      }
      out.push(tf.tensor4d(buffer, [indices.length, height, width, channels]));
    }
    return out;
  }

  /** One augmented uint8 view of one sample (exposed for inspection and benchmarks). */
  augment(index: number, epoch: number, view: number, policy: AugmentationPolicy, positionInBatch: number): Image {
    const rng = new Rng(deriveSeed(this.options.seed, VIEW_STREAM, epoch, index, view));
    const base = this.options.base(this.dataset.image(index), rng);
    return policy.randAugment ? this.options.policy(base, rng, policy, positionInBatch) : base;
  }

  private normalizeInto(data: Uint8Array, target: Float32Array, offset: number, channels: number): void {
    const { scale, shift } = this;
    for (let p = 0; p < data.length; p += channels) {
      for (let c = 0; c < channels; c++) target[offset + p + c] = data[p + c] * scale[c] + shift[c];
    }
  }
}

/** The empty policy the `augmentationPolicy` waterfall starts from. */
export function emptyPolicy(indices: Int32Array): AugmentationPolicy {
  return { indices, randAugment: null };
}
