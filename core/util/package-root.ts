import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BclError } from '../errors';

/**
 * The nearest folder at or above `start` that holds a `package.json`.
 *
 * Files committed to the source tree (recipes, the embedded set's `.gz` files) are not copied
 * into `dist/` by tsc, so code compiled anywhere below the package (dist/, a node_modules install)
 * finds them relative to the package root rather than to itself.
 */
export function findPackageRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) {
      throw new BclError('USAGE', `no package.json in ${start} or any folder above it.`, {
        hint: 'Run bcl-ssl from its package folder or an install of it.',
      });
    }
  }
}

let cached: string | undefined;

/** This package's root folder (cached). */
export function packageRoot(): string {
  cached ??= findPackageRoot(__dirname);
  return cached;
}
