import * as fs from 'node:fs';
import { BclError } from '../errors';

/**
 * Parses a JSON job file (a study, a DnC file). A missing file or bad JSON is USAGE naming the
 * file (`kind` says what it is, e.g. "study file") with `hint`, so each job reads the same way.
 */
export function readJobFile(file: string, kind: string, hint: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new BclError('USAGE', missing ? `${kind} ${file} does not exist.` : `${file} is not valid JSON (${(error as Error).message.replace(/,?\s*".*$/s, '')}).`, { hint });
  }
}
