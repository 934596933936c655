import * as fs from 'node:fs';

/**
 * Writes a uint8 array as a NumPy `.npy` file (format 1.0: magic, version, little-endian header
 * length, a Python-dict header padded to a multiple of 64 bytes, then the raw data), for handing
 * images to the Python checks.
 */
export function writeNpyUint8(file: string, shape: readonly number[], data: Uint8Array): void {
  const dict = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const unpadded = 10 + dict.length + 1;
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix.writeUInt8(1, 6);
  prefix.writeUInt8(0, 7);
  prefix.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(data)]));
}
