import type { DependencyContainer } from 'tsyringe';
import { BclError } from '../errors';
import { findPlugin, registeredPlugins } from '../plugin/plugin-registry';
import { formatIssues } from './format-issues';
import { RecipeSchema, type ResolvedRecipe } from './recipe-schema';
import { loadRawRecipe } from './recipe-loader';
import { applyOverrides } from './recipe-overrides';
import type { JsonObject } from './deep-merge';

/**
 * Validates a merged raw recipe: the core schema first, then each named plugin's own options
 * schema. Every problem is reported at once, each with its path; nothing runs before this passes.
 */
export function validateRecipe(raw: JsonObject, source = 'recipe', registry?: DependencyContainer): ResolvedRecipe {
  const parsed = RecipeSchema.safeParse(raw);
  if (!parsed.success) throw invalid(source, formatIssues(parsed.error.issues, 'recipe', raw));
  const recipe = parsed.data;
  const problems: string[] = [];
  const method = validatePluginOptions(recipe.method, 'method', 'recipe.method', problems, registry);
  const plugins = recipe.plugins.map((p, i) => validatePluginOptions(p, 'addon', `recipe.plugins[${i}]`, problems, registry));
  const names = recipe.plugins.map((p) => p.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) problems.push(`recipe.plugins lists "${duplicate}" twice`);
  if (problems.length > 0) throw invalid(source, problems);
  return { ...recipe, method, plugins };
}

/**
 * Loads (`extends` included) and validates a recipe by name or path, after applying `overrides`
 * (`path=value` texts as `bcl train --set` takes them; docs/recipes.md#command-line-overrides).
 */
export function resolveRecipe(reference: string, registry?: DependencyContainer, overrides: readonly string[] = []): ResolvedRecipe {
  const raw = applyOverrides(loadRawRecipe(reference), overrides, (kind, name) => registeredPlugins(kind, registry).find((d) => d.name === name)?.options);
  const source = overrides.length === 0 ? reference : `${reference} with ${overrides.map((o) => `--set ${o}`).join(' ')}`;
  return validateRecipe(raw, source, registry);
}

function validatePluginOptions(
  reference: { name: string } & Record<string, unknown>,
  kind: 'method' | 'addon',
  path: string,
  problems: string[],
  registry?: DependencyContainer,
): { name: string } & Record<string, unknown> {
  const definition = findPlugin(reference.name, kind, `${path}.name`, registry);
  const { name, ...options } = reference;
  const parsed = definition.options.safeParse(options);
  if (!parsed.success) {
    problems.push(...formatIssues(parsed.error.issues, path, options));
    return reference;
  }
  return { name, ...(parsed.data as Record<string, unknown>) };
}

function invalid(source: string, problems: string[]): BclError {
  return new BclError('RECIPE_INVALID', `${source} is invalid:\n  - ${problems.join('\n  - ')}`, {
    hint: 'docs/recipes.md lists every field with its type and default.',
  });
}
