/**
 * A NumPy `.npy` file (format 1.0: magic, version, little-endian header length, a Python-dict
 * header padded to a multiple of 64 bytes, then the raw data) of `data` with dtype `descr`.
 */
export function encodeNpy(descr: string, shape: readonly number[], data: Uint8Array): Buffer {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const unpadded = 10 + dict.length + 1;
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix.writeUInt8(1, 6);
  prefix.writeUInt8(0, 7);
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), data]);
}

/** A 1-D int32 (`<i4`) index list as `.npy` bytes, which `readNpyIndices` and `np.load` read. */
export function encodeNpyIndices(indices: Int32Array): Buffer {
  return encodeNpy('<i4', [indices.length], new Uint8Array(indices.buffer, indices.byteOffset, indices.byteLength));
}
