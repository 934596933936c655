import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root (the bcl-ssl package). */
export const PACKAGE_ROOT = path.join(__dirname, '..', '..', '..');

/**
 * A throw-away project that depends on bcl-ssl the way `"bcl-ssl": "file:<repo>"` installs it:
 * `node_modules/bcl-ssl` is a symlink to this repository, so bcl-ssl resolves its own
 * dependencies (tfjs, tsyringe, zod) from here and the project has none of them. `packages` are
 * copied into its node_modules (folder name -> source folder). Returns the project folder.
 */
export function consumerProject(packages: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-consumer-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies: { 'bcl-ssl': `file:${PACKAGE_ROOT}` } }, null, 2));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(PACKAGE_ROOT, path.join(dir, 'node_modules', 'bcl-ssl'), 'dir');
  for (const [name, source] of Object.entries(packages)) fs.cpSync(source, path.join(dir, 'node_modules', name), { recursive: true });
  return dir;
}
