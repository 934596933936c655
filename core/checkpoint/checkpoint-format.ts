import { createHash } from 'node:crypto';
import { BclError } from '../errors';

/**
 * One self-describing checkpoint file:
 *   magic "BCLCKPT\0" | u32 format version | u32 header length H | u64 total file length
 *   | header JSON (H bytes, UTF-8) | array payload (8-byte aligned) | SHA-256 of all preceding bytes
 * The header lists every array (name, dtype, shape, offset, length) next to the JSON metadata, so
 * a reader can validate length and checksum before trusting any number.
 */

export const CHECKPOINT_FORMAT_VERSION = 1;
const MAGIC = Buffer.from('BCLCKPT\0', 'latin1');
const PREAMBLE_BYTES = 8 + 4 + 4 + 8;
const DIGEST_BYTES = 32;

export type ArrayDtype = 'float32' | 'float64' | 'int32' | 'uint8';
export type StoredArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** A named array in a checkpoint (weights, optimizer buffers, plugin arrays). */
export interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: StoredArray;
}

interface ArrayEntry {
  name: string;
  dtype: ArrayDtype;
  shape: number[];
  offset: number;
  length: number;
}

/** Decoded checkpoint: the JSON metadata and the arrays by name. */
export interface DecodedCheckpoint<Meta> {
  readonly version: number;
  readonly meta: Meta;
  readonly arrays: Map<string, NamedArray>;
}

/**
 * Serialises metadata and arrays. Refuses non-finite float arrays, naming the array, so a
 * diverged model is never saved over a good one.
 */
export function encodeCheckpoint(meta: unknown, arrays: readonly NamedArray[]): Buffer {
  const entries: ArrayEntry[] = [];
  let offset = 0;
  for (const array of arrays) {
    assertFinite(array);
    offset = align8(offset);
    entries.push({ name: array.name, dtype: dtypeOf(array.data), shape: [...array.shape], offset, length: array.data.byteLength });
    offset += array.data.byteLength;
  }
  const header = Buffer.from(JSON.stringify({ meta, arrays: entries }), 'utf8');
  const payloadStart = align8(PREAMBLE_BYTES + header.length);
  const total = payloadStart + align8(offset) + DIGEST_BYTES;
  const file = Buffer.alloc(total);
  MAGIC.copy(file, 0);
  file.writeUInt32LE(CHECKPOINT_FORMAT_VERSION, 8);
  file.writeUInt32LE(header.length, 12);
  file.writeBigUInt64LE(BigInt(total), 16);
  header.copy(file, PREAMBLE_BYTES);
  arrays.forEach((array, i) => {
    Buffer.from(array.data.buffer, array.data.byteOffset, array.data.byteLength).copy(file, payloadStart + entries[i].offset);
  });
  createHash('sha256').update(file.subarray(0, total - DIGEST_BYTES)).digest().copy(file, total - DIGEST_BYTES);
  return file;
}

/** Parses and verifies a checkpoint; `source` names it in errors. */
export function decodeCheckpoint<Meta>(file: Buffer, source: string): DecodedCheckpoint<Meta> {
  if (file.length < PREAMBLE_BYTES || !file.subarray(0, 8).equals(MAGIC)) {
    throw invalid(source, `not a bcl checkpoint (bad magic, ${file.length} bytes)`);
  }
  const version = file.readUInt32LE(8);
  if (version !== CHECKPOINT_FORMAT_VERSION) {
    throw invalid(source, `unsupported format v${version} (this build reads v${CHECKPOINT_FORMAT_VERSION})`);
  }
  const declared = Number(file.readBigUInt64LE(16));
  if (declared !== file.length) throw invalid(source, `truncated: header says ${declared} bytes, file has ${file.length}`);
  const digest = createHash('sha256').update(file.subarray(0, file.length - DIGEST_BYTES)).digest();
  if (!digest.equals(file.subarray(file.length - DIGEST_BYTES))) throw invalid(source, 'checksum mismatch');
  const headerLength = file.readUInt32LE(12);
  const header = JSON.parse(file.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerLength).toString('utf8')) as {
    meta: Meta;
    arrays: ArrayEntry[];
  };
  const payloadStart = align8(PREAMBLE_BYTES + headerLength);
  const arrays = new Map<string, NamedArray>();
  for (const entry of header.arrays) {
    // Copy out of the file buffer: typed arrays need aligned offsets and must outlive the buffer.
    const bytes = new Uint8Array(entry.length);
    bytes.set(file.subarray(payloadStart + entry.offset, payloadStart + entry.offset + entry.length));
    arrays.set(entry.name, { name: entry.name, shape: entry.shape, data: viewAs(entry.dtype, bytes.buffer) });
  }
  return { version, meta: header.meta, arrays };
}

function assertFinite(array: NamedArray): void {
  const data = array.data;
  if (!(data instanceof Float32Array || data instanceof Float64Array)) return;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new BclError('NON_FINITE_LOSS', `refusing to save checkpoint: tensor "${array.name}" has a non-finite value (${data[i]}) at element ${i}.`, {
        hint: 'The run diverged; lower the learning rate or resume from the last good checkpoint.',
      });
    }
  }
}

function dtypeOf(data: StoredArray): ArrayDtype {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return 'uint8';
}

function viewAs(dtype: ArrayDtype, buffer: ArrayBufferLike): StoredArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer);
    case 'float64':
      return new Float64Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'uint8':
      return new Uint8Array(buffer);
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function invalid(source: string, what: string): BclError {
  return new BclError('CHECKPOINT_INVALID', `${source}: ${what}.`, {
    hint: 'Resume from an earlier checkpoint (bcl train --resume picks the newest valid one).',
  });
}
