/** A tensor to store in a safetensors file. */
export interface SafetensorsEntry {
  readonly name: string;
  /** `F32` (float32) or `I64` (int64, e.g. BatchNorm's `num_batches_tracked`). */
  readonly dtype: 'F32' | 'I64';
  /** Row-major shape; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** Little-endian element bytes, `product(shape) * itemsize` of them. */
  readonly data: Uint8Array;
}

const ITEM_SIZE = { F32: 4, I64: 8 } as const;

/**
 * Serialises tensors in the safetensors format (huggingface/safetensors): an unsigned 64-bit
 * little-endian header length, a JSON header `{name: {dtype, shape, data_offsets: [begin, end]},
 * "__metadata__": {string: string}}` padded with spaces to a multiple of 8 bytes, then the tensors'
 * bytes back to back (offsets relative to the end of the header). 8-byte tensors are placed first
 * so every tensor starts aligned to its element size.
 */
export function encodeSafetensors(entries: readonly SafetensorsEntry[], metadata: Readonly<Record<string, string>> = {}): Buffer {
  const names = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name)) throw new RangeError(`safetensors: tensor "${e.name}" appears twice`);
    names.add(e.name);
    const expected = e.shape.reduce((a, b) => a * b, 1) * ITEM_SIZE[e.dtype];
    if (e.data.length !== expected) throw new RangeError(`safetensors: tensor "${e.name}" [${e.shape}] ${e.dtype} needs ${expected} bytes, but got ${e.data.length}`);
  }
  const ordered = [...entries].sort((a, b) => ITEM_SIZE[b.dtype] - ITEM_SIZE[a.dtype]);
  const header: Record<string, unknown> = Object.keys(metadata).length > 0 ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const e of ordered) {
    header[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + e.data.length] };
    offset += e.data.length;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(padded.length));
  return Buffer.concat([prefix, padded, ...ordered.map((e) => Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength))]);
}
