import { createHash } from 'node:crypto';
import { deriveSeed, Rng } from '../random/rng';
import type { IndexedDataset } from './dataset';
import type { Image } from './image';

/** Options of `syntheticDataset`. */
export interface SyntheticDatasetOptions {
  readonly size: number;
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  readonly numClasses: number;
  readonly seed?: number;
}

/**
 * Random images with a class-dependent mean brightness, generated from a seed: for tests and
 * smoke runs that must not need files. Labels cycle through the classes.
 */
export function syntheticDataset(options: SyntheticDatasetOptions): IndexedDataset {
  const { size, height, width, channels, numClasses } = options;
  const pixels = height * width * channels;
  const rng = new Rng(deriveSeed(options.seed ?? 0, 0x5717));
  const data = new Uint8Array(size * pixels);
  const labels = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    labels[i] = i % numClasses;
    const base = (labels[i] + 0.5) * (200 / numClasses);
    for (let p = 0; p < pixels; p++) data[i * pixels + p] = Math.max(0, Math.min(255, Math.round(base + 40 * rng.normal())));
  }
  const counts = new Int32Array(numClasses);
  for (const label of labels) counts[label]++;
  const fingerprint = createHash('sha256').update(`${size}x${height}x${width}x${channels}`).update(data).digest('hex');
  return {
    name: `synthetic(${size}x${height}x${width}x${channels})`,
    size,
    imageShape: { height, width, channels },
    numClasses,
    fingerprint,
    image: (index: number): Image => ({ data: data.subarray(index * pixels, (index + 1) * pixels), height, width, channels }),
    label: (index: number) => labels[index],
    classCounts: () => counts.slice(),
  };
}
