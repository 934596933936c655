import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexedDataset } from '../dataset';
import { ArrayDataset } from './array-dataset';
import { DatasetError } from './dataset-error';
import { checkSplit, type Split } from './split';
import { readFileBytes } from './read-file-bytes';

/**
 * Readers for the CIFAR-10 / CIFAR-100 "binary version" (https://www.cs.toronto.edu/~kriz/cifar.html):
 * fixed-size records of label byte(s) then 3 072 pixel bytes, 1 024 per channel (R, G, B), each
 * channel a row-major 32x32 plane. Images are converted to the HWC layout `Image` uses.
 */

const SIDE = 32;
const PLANE = SIDE * SIDE;
const PIXEL_BYTES = 3 * PLANE;

/** Layout of one record: how many label bytes precede the pixels and which one to use. */
export interface CifarRecordFormat {
  /** 1 for CIFAR-10, 2 for CIFAR-100 (coarse label then fine label). */
  readonly labelBytes: 1 | 2;
  /** Which label byte to keep (0-based, < labelBytes). */
  readonly labelIndex: number;
  /** Labels must be below this (10, 100 fine or 20 coarse). */
  readonly numClasses: number;
}

/** Records of one or more CIFAR binary files: HWC pixels back to back and one label each. */
export interface CifarRecords {
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
}

/** Parses the bytes of one CIFAR binary file. `file` only names it in errors. */
export function parseCifarBinary(bytes: Uint8Array, file: string, format: CifarRecordFormat): CifarRecords {
  const recordBytes = format.labelBytes + PIXEL_BYTES;
  if (bytes.length % recordBytes !== 0) {
    throw new DatasetError(
      'bad-size',
      `expected a multiple of ${recordBytes}-byte records, but the file has ${bytes.length} bytes ` +
        `(${Math.floor(bytes.length / recordBytes)} records and ${bytes.length % recordBytes} bytes over)`,
      { file, hint: 'the file is truncated, or it is a CIFAR-10 file read as CIFAR-100 (or the reverse)' },
    );
  }
  const count = bytes.length / recordBytes;
  const pixels = new Uint8Array(count * PIXEL_BYTES);
  const labels = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const start = r * recordBytes;
    const label = bytes[start + format.labelIndex];
    if (label >= format.numClasses) {
      throw new DatasetError(
        'bad-label',
        `expected labels below ${format.numClasses}, but record ${r} (offset ${start}) has label ${label}`,
        { file },
      );
    }
    labels[r] = label;
    const src = start + format.labelBytes;
    const dst = r * PIXEL_BYTES;
    // CHW -> HWC: pixel p of channel ch moves from ch * 1024 + p to p * 3 + ch.
    for (let p = 0; p < PLANE; p++) {
      pixels[dst + 3 * p] = bytes[src + p];
      pixels[dst + 3 * p + 1] = bytes[src + PLANE + p];
      pixels[dst + 3 * p + 2] = bytes[src + 2 * PLANE + p];
    }
  }
  return { pixels, labels };
}

/** Reads CIFAR binary files (optionally gzipped) in order and concatenates their records. */
export async function readCifarBinaryFiles(files: readonly string[], format: CifarRecordFormat): Promise<CifarRecords> {
  const parts: CifarRecords[] = [];
  for (const file of files) {
    const { bytes } = await readFileBytes(file);
    parts.push(parseCifarBinary(bytes, file, format));
  }
  const pixels = new Uint8Array(parts.reduce((n, part) => n + part.pixels.length, 0));
  const labels = new Int32Array(parts.reduce((n, part) => n + part.labels.length, 0));
  let records = 0;
  for (const part of parts) {
    pixels.set(part.pixels, records * PIXEL_BYTES);
    labels.set(part.labels, records);
    records += part.labels.length;
  }
  return { pixels, labels };
}

/** Options of {@link loadCifar10}. */
export interface Cifar10Options {
  /** The extracted `cifar-10-batches-bin` folder, or the folder that contains it. */
  readonly dir: string;
  /** `train` (data_batch_1..5.bin, 50 000 images) or `test` (test_batch.bin, 10 000). */
  readonly split: Split;
}

/** Loads CIFAR-10 (binary version): 32x32 RGB images of 10 classes. */
export async function loadCifar10(options: Cifar10Options): Promise<IndexedDataset> {
  checkSplit(options.split);
  const names = options.split === 'train' ? [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`) : ['test_batch.bin'];
  const dir = locate(options.dir, 'cifar-10-batches-bin', names, 'CIFAR-10', 'cifar-10-binary.tar.gz');
  const format = { labelBytes: 1, labelIndex: 0, numClasses: 10 } as const;
  const records = await readCifarBinaryFiles(names.map((name) => join(dir, name)), format);
  return toDataset(`cifar10-${options.split}`, records, 10);
}

/** Options of {@link loadCifar100}. */
export interface Cifar100Options {
  /** The extracted `cifar-100-binary` folder, or the folder that contains it. */
  readonly dir: string;
  /** `train` (train.bin, 50 000 images) or `test` (test.bin, 10 000). */
  readonly split: Split;
  /** `fine` (100 classes, the usual choice and default) or `coarse` (20 superclasses). */
  readonly labels?: 'fine' | 'coarse';
}

/** Loads CIFAR-100 (binary version): 32x32 RGB images of 100 fine / 20 coarse classes. */
export async function loadCifar100(options: Cifar100Options): Promise<IndexedDataset> {
  checkSplit(options.split);
  const fine = (options.labels ?? 'fine') === 'fine';
  const names = [options.split === 'train' ? 'train.bin' : 'test.bin'];
  const dir = locate(options.dir, 'cifar-100-binary', names, 'CIFAR-100', 'cifar-100-binary.tar.gz');
  const numClasses = fine ? 100 : 20;
  // Each record starts with the coarse label, then the fine one.
  const format = { labelBytes: 2, labelIndex: fine ? 1 : 0, numClasses } as const;
  const records = await readCifarBinaryFiles([join(dir, names[0])], format);
  return toDataset(`cifar100${fine ? '' : '-coarse'}-${options.split}`, records, numClasses);
}

function toDataset(name: string, records: CifarRecords, numClasses: number): IndexedDataset {
  return new ArrayDataset({ name, ...records, height: SIDE, width: SIDE, channels: 3, numClasses });
}

/** Accepts both the extracted folder and its parent, since users pass either. */
function locate(dir: string, extracted: string, names: readonly string[], title: string, archive: string): string {
  for (const candidate of [dir, join(dir, extracted)]) {
    if (names.every((name) => existsSync(join(candidate, name)))) return candidate;
  }
  const missing = names.filter((name) => !existsSync(join(dir, name)));
  const where = `${dir} (and in ${join(dir, extracted)})`;
  throw new DatasetError('not-found', `${title} not found: ${missing.join(', ')} missing in ${where}`, {
    hint: `download https://www.cs.toronto.edu/~kriz/${archive}, extract it, and pass the ${extracted} folder as { dir }`,
  });
}
