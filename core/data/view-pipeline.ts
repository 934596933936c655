import * as tf from '@tensorflow/tfjs';
import type { AugmentationPolicy } from '../hooks/contexts';
import { Rng } from '../random/rng';
import { runPipeline } from './augment/compile-pipeline';
import type { ResolvedViewPipelines } from './augmentation-from-recipe';
import type { BaseViewPool } from './base-view-pool';
import { computeBaseViews, viewRng, type BaseAugmentation, type BaseViews } from './base-views';
import { baseAugmentationOf, compileViewPipelines, type CompiledViewPipelines } from './compile-view-pipelines';
import type { IndexedDataset } from './dataset';
import type { Image } from './image';
import { compilePolicy, type CompiledSample } from './compile-policy';

export type { BaseAugmentation } from './base-views';

/** Options of the view pipeline. */
export interface ViewPipelineOptions {
  readonly seed: number;
  /** Every view's base pipeline as data (`resolveViewPipelines`); compiled (validated) here. */
  readonly pipelines: ResolvedViewPipelines;
  /** Per-channel mean and std in [0,1] units (length 1 broadcasts to every channel). */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /**
   * Worker threads computing the same base views (see `createViewPipeline`); the pipeline takes
   * ownership and terminates them in `dispose()`. Omitted: all on this thread.
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
 * two stages: each view's base pipeline (policy-independent, so it can be prepared ahead in worker
 * threads with `prefetch`), then the `augmentationPolicy`'s per-sample steps and normalisation on
 * this thread. A view is a function of (seed, epoch, sample index, view number) and the policy only,
 * whichever thread computes it, so a resumed run sees exactly the views it would have seen.
 */
export class ViewPipeline {
  private readonly scale: Float32Array;
  private readonly shift: Float32Array;
  private readonly prefetched: Prefetch[] = [];
  private readonly compiled: CompiledViewPipelines;
  private readonly baseOf: (view: number) => BaseAugmentation;

  constructor(
    private readonly dataset: IndexedDataset,
    private readonly options: ViewPipelineOptions,
  ) {
    this.compiled = compileViewPipelines(options.pipelines);
    this.baseOf = baseAugmentationOf(this.compiled);
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
    return this.finish(this.baseViews(indices, epoch, viewCount), policy, epoch);
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
    return this.finish(await base, policy, epoch);
  }

  /** One augmented uint8 view of one sample, on this thread (exposed for inspection and benchmarks). */
  augment(index: number, epoch: number, view: number, policy: AugmentationPolicy, positionInBatch: number): Image {
    const rng = viewRng(this.options.seed, epoch, index, view);
    const sample = compilePolicy(policy, this.options.pipelines, policy.indices.length)[positionInBatch];
    const base = runPipeline(this.dataset.image(index), sample?.baseOf(view) ?? this.pipelineOf(view), rng);
    return sample ? runPipeline(base, sample.append, rng) : base;
  }

  /** Terminates the workers (if any). Idempotent. */
  async dispose(): Promise<void> {
    this.prefetched.length = 0;
    await this.options.pool?.dispose();
  }

  /** Base views computed on this thread. */
  baseViews(indices: Int32Array, epoch: number, viewCount: number): BaseViews {
    return computeBaseViews((i) => this.dataset.image(indices[i]), this.baseOf, this.options.seed, indices, epoch, viewCount, this.dataset.imageShape);
  }

  /**
   * Applies the policy (validated once here for the whole batch; each view continues its
   * generator where the base pipeline left it) and normalises: the part of a batch that runs on
   * this thread after the base views. Public for benchmarks (`bench bcl` times BCL's share); the
   * caller owns the returned tensors.
   */
  finish(base: BaseViews, policy: AugmentationPolicy, epoch: number): tf.Tensor4D[] {
    const { height, width, channels } = this.dataset.imageShape;
    const pixels = height * width * channels;
    const { count } = base;
    const samples = compilePolicy(policy, this.options.pipelines, count);
    const out: tf.Tensor4D[] = [];
    for (let view = 0; view < base.viewCount; view++) {
      const buffer = new Float32Array(count * pixels);
      for (let i = 0; i < count; i++) {
        const slot = view * count + i;
        let data = base.data.subarray(slot * pixels, (slot + 1) * pixels);
        const sample = samples[i];
        if (sample) data = this.applySample(sample, { data, height, width, channels }, base.states, slot, policy.indices[i], epoch, view).data;
        this.normalizeInto(data, buffer, i * pixels, channels);
      }
      out.push(tf.tensor4d(buffer, [count, height, width, channels]));
    }
    return out;
  }

  /** A sample's policy on one view: its changed base pipeline (recomputed here) or the prepared base, then its steps. */
  private applySample(sample: CompiledSample, prepared: Image, states: Uint32Array, slot: number, index: number, epoch: number, view: number): Image {
    let image = prepared;
    let rng: Rng;
    const changed = sample.baseOf(view);
    if (changed) {
      rng = viewRng(this.options.seed, epoch, index, view);
      image = runPipeline(this.dataset.image(index), changed, rng);
    } else {
      rng = Rng.fromState([states[slot * 4], states[slot * 4 + 1], states[slot * 4 + 2], states[slot * 4 + 3]]);
    }
    image = runPipeline(image, sample.append, rng);
    if (image.height !== prepared.height || image.width !== prepared.width || image.channels !== prepared.channels) {
      throw new Error(`augmentation changed the image shape of sample ${index}: expected ${prepared.height}x${prepared.width}x${prepared.channels}, but got ${image.height}x${image.width}x${image.channels}`);
    }
    return image;
  }

  private pipelineOf(view: number) {
    return this.compiled.views[view] ?? this.compiled.rest;
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

