import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../core/util/package-root';

/**
 * Folder of the vendored reference numbers (`test/fixtures/reference/`, provenance in its README),
 * overridable with BCL_REFERENCE_DIR. Found from the package root because tsc does not copy
 * fixtures into `dist/`.
 */
export function referenceDir(): string {
  return process.env.BCL_REFERENCE_DIR ?? path.join(packageRoot(), 'test', 'fixtures', 'reference');
}

/** Path to one reference file. */
export function referencePath(file: string): string {
  return path.join(referenceDir(), file);
}

/** Parses a reference JSON file. */
export function loadReference<T>(file: string): T {
  return JSON.parse(fs.readFileSync(referencePath(file), 'utf8')) as T;
}
