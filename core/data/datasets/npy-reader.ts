import { DatasetError } from './dataset-error';
import { readFileBytes } from './read-file-bytes';

/**
 * Reader for NumPy `.npy` files holding 1-D integer index arrays, the form in which long-tailed
 * splits are published (e.g. the CIFAR-100-LT / ImageNet-LT index lists of SDCLR and BCL).
 * Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** Supported dtypes and their byte widths: int64 and int32, little endian. */
const INDEX_DTYPES: Record<string, number> = { '<i8': 8, '<i4': 4 };

/** Parses the bytes of a `.npy` file holding a 1-D `<i8` or `<i4` array. `file` only names it in errors. */
export function parseNpyIndices(bytes: Uint8Array, file: string): Int32Array {
  const fail = (code: 'bad-magic' | 'corrupt', message: string): never => {
    throw new DatasetError(code, message, { file });
  };
  if (bytes.length < 10) truncated(file, 10, 0, 'npy preamble', bytes.length);
  if (!NPY_MAGIC.every((byte, i) => bytes[i] === byte)) {
    fail('bad-magic', `expected the npy magic "\\x93NUMPY" at offset 0, but got ${describeBytes(bytes.subarray(0, 6))}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const major = bytes[6];
  if (major < 1 || major > 3) fail('corrupt', `expected npy format version 1, 2 or 3, but got ${major}.${bytes[7]}`);
  // Version 1 stores the header length in 2 bytes; versions 2 and 3 in 4.
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) truncated(file, lengthBytes, 8, 'npy header length', bytes.length);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthBytes;
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart) truncated(file, headerLength, headerStart, 'npy header', bytes.length);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined) {
    fail('corrupt', `expected an npy header with 'descr' and 'shape', but got ${JSON.stringify(header.trim())}`);
  }
  const itemBytes = INDEX_DTYPES[descr as string];
  if (itemBytes === undefined) {
    throw new DatasetError('bad-dtype', `expected dtype int64 ('<i8') or int32 ('<i4'), but got '${descr}'`, {
      file,
      hint: "save the indices with numpy as np.asarray(indices, dtype='<i8')",
    });
  }
  const shape = (shapeText as string).split(',').map((part) => part.trim()).filter((part) => part !== '').map(Number);
  if (shape.length !== 1 || !Number.isInteger(shape[0])) {
    fail('corrupt', `expected a 1-D index array, but the shape is (${shapeText})`);
  }
  const count = shape[0];
  const expected = count * itemBytes;
  const actual = bytes.length - dataStart;
  if (actual < expected) truncated(file, expected, dataStart, `${descr} data`, bytes.length);
  if (actual > expected) {
    throw new DatasetError(
      'bad-size',
      `expected ${expected} bytes of ${descr} data at offset ${dataStart} (shape (${count},)), but the file has ${bytes.length} bytes`,
      { file },
    );
  }

  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const at = dataStart + i * itemBytes;
    const value = itemBytes === 4 ? view.getInt32(at, true) : Number(view.getBigInt64(at, true));
    // Int32Array would wrap silently; no dataset here has 2^31 records, so such a value is a bad index.
    if (value > 0x7fffffff || value < -0x80000000) {
      throw new DatasetError('index-out-of-range', `expected indices below 2^31, but element ${i} is ${value}`, { file });
    }
    out[i] = value;
  }
  return out;
}

/** Reads a `.npy` file (optionally gzipped) holding a 1-D int64 or int32 index array. */
export async function readNpyIndices(file: string): Promise<Int32Array> {
  const { bytes } = await readFileBytes(file);
  return parseNpyIndices(bytes, file);
}

function truncated(file: string, expected: number, offset: number, what: string, actual: number): never {
  throw new DatasetError(
    'truncated',
    `expected ${expected} bytes of ${what} at offset ${offset}, but the file has ${actual} bytes`,
    { file, hint: 'the file is incomplete; save or download it again' },
  );
}

function describeBytes(bytes: Uint8Array): string {
  return [...bytes].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
}
