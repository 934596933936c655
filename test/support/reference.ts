import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Path to a file of the shared reference numbers (`../shared/reference/` beside the repository,
 * as CI lays it out), overridable with BCL_REFERENCE_DIR.
 */
export function referencePath(file: string): string {
  const dir = process.env.BCL_REFERENCE_DIR ?? findSharedReferenceDir();
  return path.join(dir, file);
}

/** Parses a reference JSON file. */
export function loadReference<T>(file: string): T {
  return JSON.parse(fs.readFileSync(referencePath(file), 'utf8')) as T;
}

function findSharedReferenceDir(): string {
  // Walk up from the compiled test until a folder holds shared/reference (repo root's parent).
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'shared', 'reference');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('shared/reference not found above ' + __dirname + '; set BCL_REFERENCE_DIR');
    dir = parent;
  }
}
