import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { DatasetError } from './dataset-error';

const gunzipAsync = promisify(gunzip);

/** A file's bytes, gunzipped when the file was gzip-compressed. */
export interface FileBytes {
  /** The (decompressed) contents; offsets in error messages refer to these bytes. */
  readonly bytes: Uint8Array;
  /** Whether the file on disk was gzip-compressed. */
  readonly gzipped: boolean;
}

/**
 * Reads a whole file and gunzips it when it starts with the gzip magic (0x1f 0x8b).
 *
 * Sniffing the content instead of trusting the `.gz` suffix lets users point loaders at files
 * they decompressed themselves (or that a mirror served already decompressed under a `.gz` name).
 * Decompression runs on libuv's thread pool, so loading the 26 MB Fashion-MNIST archive does not
 * block the event loop.
 */
export async function readFileBytes(file: string): Promise<FileBytes> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DatasetError('not-found', 'file does not exist', { file, cause });
    throw new DatasetError('corrupt', `could not read the file (${code ?? String(cause)})`, { file, cause });
  }
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) return { bytes: asUint8(raw), gzipped: false };
  try {
    return { bytes: asUint8(await gunzipAsync(raw)), gzipped: true };
  } catch (cause) {
    throw new DatasetError(
      'corrupt',
      `expected a valid gzip stream of ${raw.length} bytes, but gunzip failed: ${(cause as Error).message}`,
      { file, cause, hint: 'the download is probably incomplete; fetch the file again' },
    );
  }
}

/** A plain Uint8Array view of a Buffer, so datasets never hand out Buffer-specific behaviour. */
function asUint8(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}
