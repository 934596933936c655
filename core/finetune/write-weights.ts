import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../checkpoint/atomic-write';
import { encodeCheckpoint, type NamedArray } from '../checkpoint/checkpoint-format';
import { BclError } from '../errors';

/** Writes arrays and metadata in the checkpoint format, atomically; IO_FAILED naming the file otherwise. */
export function atomicWriteOrFail(file: string, meta: unknown, arrays: readonly NamedArray[]): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, encodeCheckpoint(meta, arrays));
  } catch (error) {
    if (error instanceof BclError) throw error;
    throw new BclError('IO_FAILED', `could not write ${file} (${(error as Error).message}).`, { cause: error, hint: 'Check free space and permissions of the run folder.' });
  }
}
