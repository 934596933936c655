/**
 * The policy-independent half of the view pipeline: the base augmentation of a batch's samples.
 * Tensor-free on purpose, so the data workers (`view-worker.ts`) run exactly this code and a view
 * computed in a worker is bit-identical to one computed on the main thread.
 */
import { deriveSeed, Rng } from '../random/rng';
import type { Image } from './image';

/** The base augmentation every view gets (e.g. the SimCLR pipeline); must draw only from `rng`. */
export type BaseAugmentation = (image: Image, rng: Rng) => Image;

/** Stream tag separating augmentation draws from other seeded streams. */
const VIEW_STREAM = 0x71e3;

/** The generator of view `view` of dataset sample `index` in `epoch`: the only source of its randomness. */
export function viewRng(seed: number, epoch: number, index: number, view: number): Rng {
  return new Rng(deriveSeed(seed, VIEW_STREAM, epoch, index, view));
}

/**
 * Base-augmented uint8 views of a batch, laid out view-major: view v of batch position i is
 * `data[(v * count + i) * pixels ...]` and the generator state after its base augmentation is
 * `states[(v * count + i) * 4 ...]` (the policy's RandAugment continues from that state).
 */
export interface BaseViews {
  /** Samples in the batch. */
  readonly count: number;
  readonly viewCount: number;
  readonly data: Uint8Array;
  readonly states: Uint32Array;
}

/** Height, width and channels of every view (the dataset's image shape). */
export interface ViewShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/**
 * Base-augments `indices` (images from `imageAt(position in batch)`), `viewCount` views each, view
 * v with `baseOf(v)`. The base augmentation must keep the dataset's image shape (multi-crop views
 * of other sizes are not supported yet); otherwise this throws naming the sample.
 */
export function computeBaseViews(
  imageAt: (position: number) => Image,
  baseOf: (view: number) => BaseAugmentation,
  seed: number,
  indices: Int32Array,
  epoch: number,
  viewCount: number,
  shape: ViewShape,
): BaseViews {
  const count = indices.length;
  const pixels = shape.height * shape.width * shape.channels;
  const data = new Uint8Array(viewCount * count * pixels);
  const states = new Uint32Array(viewCount * count * 4);
  for (let view = 0; view < viewCount; view++) {
    const base = baseOf(view);
    for (let i = 0; i < count; i++) {
      const rng = viewRng(seed, epoch, indices[i], view);
      const image = base(imageAt(i), rng);
      if (image.height !== shape.height || image.width !== shape.width || image.channels !== shape.channels) {
        throw new Error(
          `augmentation changed the image shape of sample ${indices[i]}: expected ${shape.height}x${shape.width}x${shape.channels}, but got ${image.height}x${image.width}x${image.channels}`,
        );
      }
      const slot = view * count + i;
      data.set(image.data, slot * pixels);
      states.set(rng.getState(), slot * 4);
    }
  }
  return { count, viewCount, data, states };
}
