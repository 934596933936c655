import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatasetError } from './dataset-error';

/**
 * The nearest folder at or above `start` that holds a `package.json`.
 *
 * Data files committed to the source tree (the embedded set's `.gz` files) are not copied into
 * `dist/` by tsc, so code compiled anywhere below the package (dist/, dist-data/, or a
 * node_modules install) finds them relative to the package root rather than to itself.
 */
export function findPackageRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) {
      throw new DatasetError('not-found', `no package.json in ${start} or any folder above it`, {
        hint: 'run bcl-ssl from its package folder or an install of it, or pass { dir } explicitly',
      });
    }
  }
}
