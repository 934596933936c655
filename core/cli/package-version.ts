import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../util/package-root';

/** The `version` of bcl-ssl's package.json (what `bcl --version` prints). */
export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
