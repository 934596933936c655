import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../util/package-root';
import type { PluginDefinition } from './plugin-definition';

/**
 * Where a plugin's options are documented: its `docs` field, else bcl-ssl's own
 * `docs/methods/<name>.md` when that page exists (shown relative to the working folder when it is
 * inside it). Undefined when neither is known.
 */
export function pluginDocs(definition: Pick<PluginDefinition, 'name' | 'docs'>): string | undefined {
  if (definition.docs) return definition.docs;
  const page = path.join(packageRoot(), 'docs', 'methods', `${definition.name}.md`);
  if (!fs.existsSync(page)) return undefined;
  const relative = path.relative(process.cwd(), page);
  return relative.startsWith('..') || path.isAbsolute(relative) ? page : relative;
}
