import type { IndexedDataset } from '../dataset';
import type { Image } from '../image';
import { checkIndex } from './array-dataset';
import { DatasetError } from './dataset-error';
import { contentFingerprint } from './fingerprint';

/** Options of {@link padAndReplicate}. */
export interface PadReplicateOptions {
  /** Zero-pad every image to this side (square). Omit to keep the size. Must be >= the source side. */
  readonly padTo?: number;
  /** Replicate a grey channel to this many (3). Omit to keep the channels. */
  readonly channels?: 3;
}

/**
 * A view of a dataset whose images are zero-padded to `padTo x padTo` (centred; an odd margin puts
 * the extra row / column at the bottom / right, as `torchvision.transforms.Pad(2)` gives 28 -> 32
 * evenly) and whose grey channel is copied into 3, so Fashion-MNIST's 28x28x1 images feed models
 * built for CIFAR's 32x32x3 as the BCL authors do. Images are built on each read (3 KB), no pixel
 * store is duplicated. Returns `dataset` itself when nothing changes.
 */
export function padAndReplicate(dataset: IndexedDataset, options: PadReplicateOptions): IndexedDataset {
  const { height, width, channels } = dataset.imageShape;
  const side = options.padTo;
  if (side !== undefined && (!Number.isInteger(side) || side < Math.max(height, width))) {
    throw new DatasetError('bad-option', `padTo must be an integer >= the image side (${height}x${width} in ${dataset.name}), but got ${side}`, {
      hint: `use padTo ${Math.max(height, width)} or more, or leave it out`,
    });
  }
  if (options.channels !== undefined && channels !== 1 && channels !== options.channels) {
    throw new DatasetError('bad-option', `channels ${options.channels} replicates a grey channel, but ${dataset.name} has ${channels} channels`, {
      hint: 'leave channels out for colour datasets',
    });
  }
  const outChannels = options.channels ?? channels;
  const outHeight = side ?? height;
  const outWidth = side ?? width;
  if (outChannels === channels && outHeight === height && outWidth === width) return dataset;
  return new PaddedDataset(dataset, outHeight, outWidth, outChannels);
}

class PaddedDataset implements IndexedDataset {
  readonly name: string;
  readonly size: number;
  readonly numClasses: number;
  readonly imageShape: { readonly height: number; readonly width: number; readonly channels: number };
  private readonly top: number;
  private readonly left: number;
  private cachedFingerprint: string | undefined;

  constructor(
    private readonly source: IndexedDataset,
    height: number,
    width: number,
    channels: number,
  ) {
    const from = source.imageShape;
    this.name = `${source.name}-${height}x${width}x${channels}`;
    this.size = source.size;
    this.numClasses = source.numClasses;
    this.imageShape = { height, width, channels };
    this.top = Math.floor((height - from.height) / 2);
    this.left = Math.floor((width - from.width) / 2);
  }

  image(index: number): Image {
    checkIndex(this, index);
    const from = this.source.image(index);
    const { height, width, channels } = this.imageShape;
    const data = new Uint8Array(height * width * channels);
    const replicate = from.channels === 1 && channels > 1;
    for (let y = 0; y < from.height; y++) {
      for (let x = 0; x < from.width; x++) {
        const src = (y * from.width + x) * from.channels;
        const dst = ((y + this.top) * width + x + this.left) * channels;
        for (let c = 0; c < channels; c++) data[dst + c] = from.data[src + (replicate ? 0 : c)];
      }
    }
    return { data, height, width, channels };
  }

  label(index: number): number {
    return this.source.label(index);
  }

  classCounts(): Int32Array {
    return this.source.classCounts();
  }

  get fingerprint(): string {
    this.cachedFingerprint ??= contentFingerprint(this);
    return this.cachedFingerprint;
  }
}
