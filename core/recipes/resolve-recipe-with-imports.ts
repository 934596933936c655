import * as path from 'node:path';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { loadPluginModule, type LoadedPluginModule } from '../plugin/load-plugin-module';
import { registeredPlugins } from '../plugin/plugin-registry';
import type { JsonObject } from './deep-merge';
import { loadRawRecipe, locateRecipe } from './recipe-loader';
import { applyOverrides, describeOverridden } from './recipe-overrides';
import type { ResolvedRecipe } from './recipe-schema';
import { validateRecipe } from './resolve-recipe';

/**
 * Loads the plugin modules a raw recipe names in `imports` (docs/recipes.md#imports): paths as
 * the recipe loader made them (absolute, from the file that wrote them), package names resolved
 * from `recipeDir`, then the working folder. Entries that are not strings are left to validation.
 */
export async function loadRecipeImports(raw: JsonObject, recipeDir: string, target: DependencyContainer = rootContainer): Promise<LoadedPluginModule[]> {
  const imports = Array.isArray(raw.imports) ? raw.imports.filter((i): i is string => typeof i === 'string' && i.length > 0) : [];
  const loaded: LoadedPluginModule[] = [];
  for (const specifier of imports) loaded.push(await loadPluginModule({ specifier, fromDirs: [recipeDir, process.cwd()], via: 'recipe imports' }, target));
  return loaded;
}

/**
 * `resolveRecipe` for recipes that bring their own plugins: loads the recipe, its `imports`,
 * applies `overrides` (typed by the now-registered plugins' schemas), and validates.
 */
export async function resolveRecipeWithImports(reference: string, registry: DependencyContainer = rootContainer, overrides: readonly string[] = []): Promise<ResolvedRecipe> {
  const recipeDir = path.dirname(locateRecipe(reference));
  const raw = loadRawRecipe(reference);
  const lookup = (kind: 'method' | 'addon', name: string) => registeredPlugins(kind, registry).find((d) => d.name === name)?.options;
  // Overrides first (`--set imports=[...]` decides what loads), then again once the imported
  // plugins' schemas can type their options.
  await loadRecipeImports(applyOverrides(raw, overrides, lookup), recipeDir, registry);
  const overridden = applyOverrides(raw, overrides, lookup);
  return validateRecipe(overridden, describeOverridden(reference, overrides), registry);
}
