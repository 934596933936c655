import * as fs from 'node:fs';
import { encodeNpy } from '../../core/data/datasets/npy-writer';

/** Writes a uint8 array as a NumPy `.npy` file, for handing images to the Python checks. */
export function writeNpyUint8(file: string, shape: readonly number[], data: Uint8Array): void {
  fs.writeFileSync(file, encodeNpy('|u1', shape, data));
}
