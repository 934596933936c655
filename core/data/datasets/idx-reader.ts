import { DatasetError } from './dataset-error';
import { readFileBytes } from './read-file-bytes';

/**
 * Readers for the IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
 * a big-endian uint32 magic (two zero bytes, a type byte, a dimension count), one big-endian
 * uint32 per dimension, then the elements. Only unsigned bytes (type 0x08) are supported, which
 * is what every MNIST-family file uses.
 */

/** Magic of an IDX file of unsigned-byte images: type 0x08, 3 dimensions (count, rows, columns). */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Magic of an IDX file of unsigned-byte labels: type 0x08, 1 dimension (count). */
export const IDX_LABELS_MAGIC = 0x00000801;

/** The contents of an IDX image file. */
export interface IdxImages {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** `count * height * width` bytes, row-major, one channel. */
  readonly pixels: Uint8Array;
}

/** Where the bytes came from, for error messages. */
interface Source {
  readonly file: string;
  readonly gzipped?: boolean;
}

/** Parses the bytes of an IDX image file (already gunzipped). `file` only names it in errors. */
export function parseIdxImages(bytes: Uint8Array, file: string, gzipped = false): IdxImages {
  const source = { file, gzipped };
  const dims = parseHeader(bytes, source, IDX_IMAGES_MAGIC, 'images');
  const [count, height, width] = dims;
  const offset = 4 + 4 * dims.length;
  checkDataLength(bytes, source, offset, count * height * width, 'image data');
  return { count, height, width, pixels: bytes.subarray(offset, offset + count * height * width) };
}

/** Parses the bytes of an IDX label file (already gunzipped). `file` only names it in errors. */
export function parseIdxLabels(bytes: Uint8Array, file: string, gzipped = false): Uint8Array {
  const source = { file, gzipped };
  const [count] = parseHeader(bytes, source, IDX_LABELS_MAGIC, 'labels');
  checkDataLength(bytes, source, 8, count, 'label data');
  return bytes.subarray(8, 8 + count);
}

/** Reads an IDX image file, gzipped or not. */
export async function readIdxImages(file: string): Promise<IdxImages> {
  const { bytes, gzipped } = await readFileBytes(file);
  return parseIdxImages(bytes, file, gzipped);
}

/** Reads an IDX label file, gzipped or not. */
export async function readIdxLabels(file: string): Promise<Uint8Array> {
  const { bytes, gzipped } = await readFileBytes(file);
  return parseIdxLabels(bytes, file, gzipped);
}

/** Checks the magic and returns the dimensions. */
function parseHeader(bytes: Uint8Array, source: Source, magic: number, kind: string): number[] {
  const ndims = magic & 0xff;
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < 4) truncated(source, 4, 0, 'IDX magic', bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const found = view.getUint32(0, false);
  if (found !== magic) {
    const other = found === IDX_IMAGES_MAGIC ? 'images' : found === IDX_LABELS_MAGIC ? 'labels' : undefined;
    throw new DatasetError(
      'bad-magic',
      `expected IDX ${kind} magic ${hex(magic)} at offset 0, but got ${hex(found)}`,
      {
        file: source.file,
        hint: other
          ? `this is an IDX ${other} file; check which file was passed as ${kind}`
          : 'this is not an unsigned-byte IDX file (MNIST / Fashion-MNIST format)',
      },
    );
  }
  if (bytes.length < headerBytes) truncated(source, headerBytes - 4, 4, 'IDX dimensions', bytes.length);
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) dims.push(view.getUint32(4 + 4 * d, false));
  return dims;
}

/** The data must fill the rest of the file exactly: a longer file is as suspect as a shorter one. */
function checkDataLength(bytes: Uint8Array, source: Source, offset: number, expected: number, what: string): void {
  if (bytes.length < offset + expected) truncated(source, expected, offset, what, bytes.length);
  if (bytes.length > offset + expected) {
    throw new DatasetError(
      'bad-size',
      `expected ${expected} bytes of ${what} at offset ${offset} (file end at ${offset + expected}), ` +
        `but the file has ${bytes.length} bytes${source.gzipped ? ' after gunzip' : ''}`,
      { file: source.file, hint: 'the header count does not match the data; the file is probably corrupt' },
    );
  }
}

function truncated(source: Source, expected: number, offset: number, what: string, actual: number): never {
  throw new DatasetError(
    'truncated',
    `expected ${expected} bytes of ${what} at offset ${offset}, but the file has ${actual}` +
      ` bytes${source.gzipped ? ' after gunzip' : ''}`,
    { file: source.file, hint: 'the file is incomplete; download it again' },
  );
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
