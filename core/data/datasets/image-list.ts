import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ArrayDataset } from './array-dataset';
import { DatasetError } from './dataset-error';

/**
 * Image-list datasets as ImageNet-LT and Places-LT publish them: a text file of
 * `relative/path.jpg label` lines plus an image root. JPEG, PNG (and whatever else libvips reads)
 * are decoded with `sharp`, optionally resized, and kept in memory as one contiguous buffer.
 */

/** How an image is fitted to `size`. */
export type ImageListFit = 'cover' | 'fill';

/** Options of `loadImageList`. */
export interface ImageListOptions {
  /** The list file: one `relative/path label` per line (blank lines and lines starting with `#` are skipped). */
  readonly listFile: string;
  /** Folder the paths are relative to. */
  readonly root: string;
  /**
   * Resize every image on load to this side (or `[height, width]`). Omitted: images are kept as
   * decoded and must all have the same size.
   */
  readonly size?: number | readonly [number, number];
  /**
   * `cover` (default): scale so the image covers the target, then crop the centre (torchvision's
   * `Resize` + `CenterCrop`); `fill`: stretch to the target, ignoring the aspect ratio.
   */
  readonly fit?: ImageListFit;
  /** 3 (default; grey images are replicated) or 1 (colour images converted to luma). */
  readonly channels?: 1 | 3;
  /** Number of classes; default: the largest label + 1. */
  readonly numClasses?: number;
  /** Dataset name; default: the list file's base name. */
  readonly name?: string;
  /** Images decoded at once (default 8; decoding runs on libuv's thread pool). */
  readonly concurrency?: number;
}

/** One line of a list file. */
export interface ImageListEntry {
  readonly path: string;
  readonly label: number;
  /** 1-based line of the list file, for errors. */
  readonly line: number;
}

/**
 * Most classes a list may imply when its class count is not declared (iNaturalist 2018 has
 * 8 142; ImageNet-21k 21 841). One stray label such as 99999999 would otherwise size every
 * per-class array by it (seen: RSS 953 MB for 20 images).
 */
export const MAX_INFERRED_CLASSES = 100_000;

/**
 * Parses a list file's text. The label is the last whitespace-separated field, so paths may hold
 * spaces. `file` only names the list in errors, which give the line number.
 */
export function parseImageList(text: string, file: string): ImageListEntry[] {
  const entries: ImageListEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(.+?)\s+(\S+)$/.exec(line);
    const label = match ? Number(match[2]) : NaN;
    if (!match || !Number.isInteger(label) || label < 0) {
      throw new DatasetError('corrupt', `line ${n + 1}: expected "relative/path label" with an integer label >= 0, but got ${JSON.stringify(line)}`, {
        file,
        hint: 'ImageNet-LT / Places-LT lists have one "path label" pair per line',
      });
    }
    if (path.isAbsolute(match[1]) || path.normalize(match[1]).split(/[\\/]/)[0] === '..') {
      throw new DatasetError('corrupt', `line ${n + 1}: the path ${JSON.stringify(match[1])} leaves the image root`, {
        file,
        hint: 'List paths must be relative to the root and stay inside it (no leading "/" or "..")',
      });
    }
    entries.push({ path: match[1], label, line: n + 1 });
  }
  if (entries.length === 0) throw new DatasetError('bad-size', 'expected at least one "path label" line, but the list is empty', { file });
  return entries;
}

/**
 * Loads the images of a list file into an `ArrayDataset` (8-bit HWC). Errors name the file: a
 * missing list or image is `DATASET_MISSING`, an undecodable image or a size mismatch
 * `DATASET_CORRUPT`, bad options `RECIPE_INVALID`.
 */
export async function loadImageList(options: ImageListOptions): Promise<ArrayDataset> {
  const channels = options.channels ?? 3;
  const target = options.size === undefined ? undefined : typeof options.size === 'number' ? [options.size, options.size] as const : options.size;
  if (target && !target.every((side) => Number.isInteger(side) && side > 0)) {
    throw new DatasetError('bad-option', `expected size to be a positive integer or [height, width] of them, but got ${JSON.stringify(options.size)}`);
  }
  let text: string;
  try {
    text = await readFile(options.listFile, 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'not-found' : 'corrupt';
    throw new DatasetError(reason, reason === 'not-found' ? 'list file does not exist' : `could not read the list file (${(cause as Error).message})`, { file: options.listFile, cause });
  }
  const entries = parseImageList(text, options.listFile);
  const highest = entries.reduce((m, e) => (e.label > m.label ? e : m), entries[0]);
  const maxLabel = highest.label;
  if (options.numClasses === undefined && maxLabel >= MAX_INFERRED_CLASSES) {
    throw new DatasetError('bad-label', `line ${highest.line}: label ${maxLabel} would imply ${maxLabel + 1} classes, more than the ${MAX_INFERRED_CLASSES} a list may imply`, {
      file: options.listFile,
      hint: 'Fix that line (labels are 0-based class ids)',
    });
  }
  const numClasses = options.numClasses ?? maxLabel + 1;
  if (maxLabel >= numClasses) {
    throw new DatasetError('bad-label', `line ${highest.line}: expected labels below ${numClasses}, but the list has label ${maxLabel}`, { file: options.listFile });
  }

  const { default: sharp } = await import('sharp');
  const decode = async (entry: ImageListEntry): Promise<{ data: Uint8Array; height: number; width: number; file: string }> => {
    const file = path.join(options.root, entry.path);
    let input: Buffer;
    try {
      input = await readFile(file);
    } catch (cause) {
      const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
      throw new DatasetError(missing ? 'not-found' : 'corrupt', missing ? `image listed in ${options.listFile} does not exist` : `could not read the image (${(cause as Error).message})`, { file, cause });
    }
    try {
      // No EXIF auto-rotation: PIL's Image.open, which the published pipelines use, does not rotate either.
      let image = sharp(input, { failOn: 'warning' }).removeAlpha().toColourspace(channels === 3 ? 'srgb' : 'b-w');
      if (target) image = image.resize(target[1], target[0], { fit: options.fit === 'fill' ? 'fill' : 'cover', position: 'centre' });
      const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
      if (info.channels !== channels) throw new Error(`decoded ${info.channels} channels where ${channels} were asked for`);
      return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), height: info.height, width: info.width, file };
    } catch (cause) {
      throw new DatasetError('corrupt', `could not decode the image: ${(cause as Error).message}`, {
        file,
        cause,
        hint: 'the file is truncated or not an image; re-extract it or remove its line from the list',
      });
    }
  };

  let height = target?.[0] ?? 0;
  let width = target?.[1] ?? 0;
  let pixels: Uint8Array | undefined;
  let first = '';
  const store = (i: number, image: Awaited<ReturnType<typeof decode>>): void => {
    if (!pixels) {
      height = image.height;
      width = image.width;
      first = image.file;
      pixels = new Uint8Array(entries.length * height * width * channels);
    }
    if (image.height !== height || image.width !== width) {
      throw new DatasetError('bad-size', `expected a ${height}x${width} image like ${first}, but got ${image.height}x${image.width}`, {
        file: image.file,
        hint: 'set the dataset size option to resize every image on load',
      });
    }
    pixels.set(image.data, i * height * width * channels);
  };
  // A few decodes in flight at once; results are stored by list position, so the order is the list's.
  let next = 0;
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 8, entries.length));
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < entries.length) {
        const i = next++;
        try {
          store(i, await decode(entries[i]));
        } catch (error) {
          next = entries.length; // the others stop after their current image
          throw error;
        }
      }
    }),
  );
  return new ArrayDataset({
    name: options.name ?? path.basename(options.listFile).replace(/\.txt$/, ''),
    pixels: pixels ?? new Uint8Array(0),
    height,
    width,
    channels,
    labels: Int32Array.from(entries, (e) => e.label),
    numClasses,
  });
}
