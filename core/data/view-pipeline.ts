import * as tf from '@tensorflow/tfjs';
import type { AugmentationPolicy } from '../hooks/contexts';
import { Rng } from '../random/rng';
import type { BaseViewPool } from './base-view-pool';
import { computeBaseViews, viewRng, type BaseAugmentation, type BaseViews } from './base-views';
import type { IndexedDataset } from './dataset';
import type { Image } from './image';

export type { BaseAugmentation } from './base-views';

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
  /**
   * Worker threads computing the same base augmentation as `base` (see `createViewPipeline`);
   * the pipeline takes ownership and terminates them in `dispose()`. Omitted: all on this thread.
   */
  readonly pool?: BaseViewPool;
}

/** A batch whose base views are being prepared by the workers. */
interface Prefetch {
  readonly epoch: number;
  readonly viewCount: number;
  readonly indices: Int32Array;
  readonly views: Promise<BaseViews>;
}

/** Batches whose base views may be in flight at once (the current and the next). */
const MAX_PREFETCHED = 2;

/**
 * Turns a batch's dataset indices into V float32 NHWC tensors of augmented, normalised views, in
 * two stages: the base augmentation (policy-independent, so it can be prepared ahead in worker
 * threads with `prefetch`), then the `augmentationPolicy`'s RandAugment and normalisation on this
 * thread. A view is a function of (seed, epoch, sample index, view number) and the policy only,
 * whichever thread computes it, so a resumed run sees exactly the views it would have seen.
 */
export class ViewPipeline {
  private readonly scale: Float32Array;
  private readonly shift: Float32Array;
  private readonly prefetched: Prefetch[] = [];

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

  /** Worker threads preparing base views (0: everything runs on this thread). */
  get workers(): number {
    return this.options.pool?.size ?? 0;
  }

  /** The augmented views, computed on this thread; the caller owns the returned tensors. */
  views(indices: Int32Array, epoch: number, viewCount: number, policy: AugmentationPolicy): tf.Tensor4D[] {
    return this.finish(this.baseViews(indices, epoch, viewCount), policy);
  }

  /**
   * Starts the base augmentation of a batch in the workers, to be picked up by `viewsAsync`.
   * Call it as soon as the batch's indices are known (the trainer: for the next batch while the
   * current step runs). Without workers it does nothing.
   */
  prefetch(indices: Int32Array, epoch: number, viewCount: number): void {
    const pool = this.options.pool;
    if (!pool || this.findPrefetch(indices, epoch, viewCount) >= 0) return;
    if (this.prefetched.length >= MAX_PREFETCHED) this.prefetched.shift();
    const views = pool.augment(indices, epoch, viewCount);
    // Nobody may await a dropped prefetch; its failure still reaches the next request through the pool.
    views.catch(() => undefined);
    this.prefetched.push({ epoch, viewCount, indices: indices.slice(), views });
  }

  /**
   * The same views as `views()`, bit for bit, with the base augmentation from the workers
   * (prefetched, or requested now). Rejects with a `BclError` when a worker failed. The caller owns
   * the returned tensors.
   */
  async viewsAsync(indices: Int32Array, epoch: number, viewCount: number, policy: AugmentationPolicy): Promise<tf.Tensor4D[]> {
    const pool = this.options.pool;
    if (!pool) return this.views(indices, epoch, viewCount, policy);
    const found = this.findPrefetch(indices, epoch, viewCount);
    const base = found >= 0 ? this.prefetched.splice(found, 1)[0].views : pool.augment(indices, epoch, viewCount);
    return this.finish(await base, policy);
  }

  /** One augmented uint8 view of one sample, on this thread (exposed for inspection and benchmarks). */
  augment(index: number, epoch: number, view: number, policy: AugmentationPolicy, positionInBatch: number): Image {
    const rng = viewRng(this.options.seed, epoch, index, view);
    const base = this.options.base(this.dataset.image(index), rng);
    return policy.randAugment ? this.options.policy(base, rng, policy, positionInBatch) : base;
  }

  /** Terminates the workers (if any). Idempotent. */
  async dispose(): Promise<void> {
    this.prefetched.length = 0;
    await this.options.pool?.dispose();
  }

  /** Base views computed on this thread. */
  baseViews(indices: Int32Array, epoch: number, viewCount: number): BaseViews {
    return computeBaseViews((i) => this.dataset.image(indices[i]), this.options.base, this.options.seed, indices, epoch, viewCount, this.dataset.imageShape);
  }

  /**
   * Applies the policy (continuing each view's generator where the base augmentation left it) and
   * normalises: the part of a batch that runs on this thread after the base views. Public for
   * benchmarks (`bench bcl` times BCL's share); the caller owns the returned tensors.
   */
  finish(base: BaseViews, policy: AugmentationPolicy): tf.Tensor4D[] {
    const { height, width, channels } = this.dataset.imageShape;
    const pixels = height * width * channels;
    const { count } = base;
    const out: tf.Tensor4D[] = [];
    for (let view = 0; view < base.viewCount; view++) {
      const buffer = new Float32Array(count * pixels);
      for (let i = 0; i < count; i++) {
        const slot = view * count + i;
        let data = base.data.subarray(slot * pixels, (slot + 1) * pixels);
        if (policy.randAugment) {
          const rng = Rng.fromState([base.states[slot * 4], base.states[slot * 4 + 1], base.states[slot * 4 + 2], base.states[slot * 4 + 3]]);
          const image = this.options.policy({ data, height, width, channels }, rng, policy, i);
          if (image.data.length !== pixels) {
            throw new Error(`augmentation changed the image shape of sample ${policy.indices[i]}: ${image.height}x${image.width}x${image.channels}`);
          }
          data = image.data;
        }
        this.normalizeInto(data, buffer, i * pixels, channels);
      }
      out.push(tf.tensor4d(buffer, [count, height, width, channels]));
    }
    return out;
  }

  private findPrefetch(indices: Int32Array, epoch: number, viewCount: number): number {
    return this.prefetched.findIndex(
      (p) => p.epoch === epoch && p.viewCount === viewCount && p.indices.length === indices.length && p.indices.every((v, i) => v === indices[i]),
    );
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
