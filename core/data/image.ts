/**
 * An 8-bit image in HWC layout: the form datasets yield and augmentations consume.
 * `data.length === height * width * channels`; channels is 1 (grey) or 3 (RGB).
 */
export interface Image {
  readonly data: Uint8Array;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** Allocates a zero-filled image of the given shape. */
export function blankImage(height: number, width: number, channels: number): Image {
  return { data: new Uint8Array(height * width * channels), height, width, channels };
}
