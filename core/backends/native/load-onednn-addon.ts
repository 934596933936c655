import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The functions `src/onednn-addon.cc` exports (see the comment at its top). */
export interface OnednnAddon {
  /** mode 0 forward (a = x, b = w, out = y), 1 input gradient (dy, w, dx), 2 filter gradient (x, dy, dw). */
  conv2d(mode: 0 | 1 | 2, heap: ArrayBufferLike, a: number, b: number, out: number, dims: number[]): void;
  /**
   * BatchNorm in training mode over `dims = [rows, channels]` (channels-last), biased variance.
   * mode 0: offsets [x, scale, shift, y, mean, variance]; mode 1: [x, mean, variance, dy, scale, dx, dScale, dShift].
   */
  batchNorm(mode: 0 | 1, heap: ArrayBufferLike, offsets: number[], dims: [number, number], epsilon: number): void;
  /** out = op(a) x op(b) per batch matrix; dims [batch, M, K, N, transposeA 0|1, transposeB 0|1]. */
  matMul(heap: ArrayBufferLike, a: number, b: number, out: number, dims: number[]): void;
  setThreads(threads: number): void;
  info(): { dnnl: string; threads: number; isa: string };
}

/** The addon, or why it could not be loaded (a one-line reason). */
export type AddonLoad = { addon: OnednnAddon; path: string } | { reason: string };

const ADDON = join('core', 'backends', 'native', 'build', 'Release', 'bcl_onednn.node');
let cached: AddonLoad | undefined;

/**
 * Loads the oneDNN addon that `npm ci` built with node-gyp (`core/backends/native/binding.gyp`),
 * once per process. It is optional: without libdnnl or a compiler the build was skipped, and this
 * returns the reason instead of throwing. Searches from this file up to the package root, so it
 * works from `dist/` and from any other tsc `--outDir`.
 */
export function loadOnednnAddon(): AddonLoad {
  if (cached) return cached;
  const root = packageRoot(__dirname);
  const path = root === undefined ? undefined : join(root, ADDON);
  if (path === undefined || !existsSync(path)) {
    cached = { reason: `not built (needs libdnnl-dev and g++ when npm ci runs; then: npx node-gyp rebuild -C core/backends/native)` };
    return cached;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addon = require(path) as OnednnAddon;
    cached = { addon, path };
  } catch (error) {
    cached = { reason: `failed to load ${ADDON} (${(error as Error).message.split('\n')[0]})` };
  }
  return cached;
}

/** The nearest folder at or above `start` whose package.json names bcl-ssl. */
export function packageRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'bcl-ssl') return dir;
      } catch {
        // not a readable manifest; keep walking up
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}
