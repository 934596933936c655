import * as path from 'node:path';
import { Option, type Command } from 'commander';
import { loadPluginModule, type LoadedPluginModule } from '../plugin/load-plugin-module';
import { pluginOrigin, registeredPlugins } from '../plugin/plugin-registry';
import type { JsonObject } from '../recipes/deep-merge';
import { readRecipeFile } from '../recipes/recipe-loader';
import { loadRecipeImports } from '../recipes/resolve-recipe-with-imports';

/** `--plugin` as commander parses it: every value, in order (absent when none). */
export interface PluginFlags {
  plugin?: string[];
}

/** Adds `--plugin <module-or-path>` (repeatable) to a command. */
export function addPluginOption(command: Command): Command {
  return command.addOption(
    new Option('-p, --plugin <module-or-path>', 'load a plugin package or file first (repeatable; resolved like Node does from the working folder; docs/plugins.md#plugin-packages)')
      .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
  );
}

/** Loads every `--plugin`, in order, from the working folder. */
export async function loadPluginFlags(flags: PluginFlags): Promise<LoadedPluginModule[]> {
  const loaded: LoadedPluginModule[] = [];
  for (const specifier of flags.plugin ?? []) loaded.push(await loadPluginModule({ specifier, fromDirs: [process.cwd()], via: '--plugin' }));
  return loaded;
}

/** Loads the `imports` of a run folder's recipe.json (so `bcl eval` finds the plugins the run used). */
export async function loadRunImports(runDir: string): Promise<void> {
  const file = path.join(runDir, 'recipe.json');
  let raw: JsonObject;
  try {
    raw = readRecipeFile(file);
  } catch {
    return; // a missing or broken recipe.json is reported, with its own message, by whoever reads the run
  }
  await loadRecipeImports(raw, runDir);
}

/** `bcl plugins`: one line per registered plugin with where it came from. */
export function formatPluginList(): string {
  const plugins = registeredPlugins();
  const width = Math.max(12, ...plugins.map((d) => d.name.length + 1));
  return plugins.map((d) => `${d.name.padEnd(width)} ${d.kind.padEnd(7)} ${d.description}\n${' '.repeat(width + 9)}from ${pluginOrigin(d) ?? 'bcl-ssl (built-in)'}\n`).join('');
}
