import * as fs from 'node:fs';
import * as path from 'node:path';
import { BclError } from '../errors';

/** Prefix of temporary files; leftovers from a crash are removed by `removeStaleTemporaries`. */
export const TEMP_PREFIX = '.tmp-';

/**
 * Writes `data` to `file` so that a crash at any moment leaves either the old file or the new one,
 * never a mix: temporary file in the same folder, every write's byte count checked, fsync, rename,
 * fsync of the folder. Failures (disk full, file-size limit) name the path and errno and leave the
 * previous file intact.
 */
export function writeFileAtomic(file: string, data: Uint8Array): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `${TEMP_PREFIX}${path.basename(file)}-${process.pid}`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'w', 0o644);
    let written = 0;
    while (written < data.length) {
      const n = fs.writeSync(fd, data, written, data.length - written);
      if (n <= 0) throw Object.assign(new Error(`short write: ${written} of ${data.length} bytes`), { code: 'EIO' });
      written += n;
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, file);
    fsyncDir(dir);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    const errno = (error as NodeJS.ErrnoException).code ?? 'unknown';
    throw new BclError('IO_FAILED', `could not write ${file} (${errno}: ${(error as Error).message}); the previous file is intact.`, {
      hint: errno === 'ENOSPC' || errno === 'EFBIG' ? 'Free disk space or raise the file-size limit, then resume.' : undefined,
      cause: error,
    });
  }
}

/** Removes temporary files a crashed writer left in `dir`. Returns their names. */
export function removeStaleTemporaries(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const stale = fs.readdirSync(dir).filter((f) => f.startsWith(TEMP_PREFIX));
  for (const name of stale) fs.rmSync(path.join(dir, name), { force: true });
  return stale;
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
