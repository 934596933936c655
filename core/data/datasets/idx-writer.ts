import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from './idx-reader';

/**
 * Encoders for the IDX format, the inverse of `idx-reader.ts`. Used to write the embedded dataset
 * and test fixtures; the output is uncompressed (gzip it with node:zlib when storing it).
 */

/** Encodes `count = pixels.length / (height * width)` single-channel images as an IDX file. */
export function encodeIdxImages(pixels: Uint8Array, height: number, width: number): Uint8Array {
  const count = pixels.length / (height * width);
  if (!Number.isInteger(count)) {
    throw new RangeError(`expected a whole number of ${height}x${width} images, but got ${pixels.length} bytes`);
  }
  const out = new Uint8Array(16 + pixels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, IDX_IMAGES_MAGIC, false);
  view.setUint32(4, count, false);
  view.setUint32(8, height, false);
  view.setUint32(12, width, false);
  out.set(pixels, 16);
  return out;
}

/** Encodes labels (each in 0..255) as an IDX label file. */
export function encodeIdxLabels(labels: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(8 + labels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, IDX_LABELS_MAGIC, false);
  view.setUint32(4, labels.length, false);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label > 255) {
      throw new RangeError(`expected labels in 0..255, but label ${i} is ${label}`);
    }
    out[8 + i] = label;
  }
  return out;
}
