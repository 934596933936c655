import type { DependencyContainer } from 'tsyringe';
import { BclError } from '../errors';
import type { PluginKind } from '../plugin/plugin-definition';
import { pluginDocs } from '../plugin/plugin-docs';
import { registeredPlugins, UNKNOWN_PLUGIN_HINT, unknownPluginProblem } from '../plugin/plugin-registry';
import { isJsonObject, type JsonObject } from './deep-merge';
import { formatIssues } from './format-issues';
import { RecipeSchema, type ResolvedRecipe } from './recipe-schema';
import { loadRawRecipe } from './recipe-loader';
import { applyOverrides, describeOverridden } from './recipe-overrides';

type PluginReference = { name: string } & Record<string, unknown>;

/** What one validation pass found. */
interface Findings {
  /** Every problem, one sentence each with its path. */
  readonly problems: string[];
  /** How many of them are names of plugins nobody registered. */
  unknownPlugins: number;
  /** Plugins whose options were invalid, with their documentation pages where known. */
  readonly docs: Map<string, string | undefined>;
}

/**
 * Validates a merged raw recipe in one pass: the core schema and, for every method and add-on the
 * recipe names (even when other fields are wrong), that plugin's options schema. Every problem
 * is reported at once, each with its path; nothing runs before this passes. Only unknown plugin
 * names: UNKNOWN_PLUGIN; anything else: RECIPE_INVALID.
 */
export function validateRecipe(raw: JsonObject, source = 'recipe', registry?: DependencyContainer): ResolvedRecipe {
  const parsed = RecipeSchema.safeParse(raw);
  const findings: Findings = { problems: parsed.success ? [] : formatIssues(parsed.error.issues, 'recipe', raw, RecipeSchema), unknownPlugins: 0, docs: new Map() };
  const references = parsed.success ? { method: parsed.data.method, plugins: parsed.data.plugins.map((p, i) => [i, p] as const) } : rawReferences(raw);
  const method = references.method && validatePluginOptions(references.method, 'method', 'recipe.method', findings, registry);
  const plugins = references.plugins.map(([i, p]) => validatePluginOptions(p, 'addon', `recipe.plugins[${i}]`, findings, registry));
  const names = references.plugins.map(([, p]) => p.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) findings.problems.push(`recipe.plugins lists "${duplicate}" twice`);
  if (findings.problems.length > 0 || !parsed.success) throw invalid(source, findings);
  return { ...parsed.data, method: method!, plugins };
}

/**
 * Loads (`extends` included) and validates a recipe by name or path, after applying `overrides`
 * (`path=value` texts as `bcl train --set` takes them; docs/recipes.md#command-line-overrides).
 */
export function resolveRecipe(reference: string, registry?: DependencyContainer, overrides: readonly string[] = []): ResolvedRecipe {
  const raw = applyOverrides(loadRawRecipe(reference), overrides, (kind, name) => registeredPlugins(kind, registry).find((d) => d.name === name)?.options);
  return validateRecipe(raw, describeOverridden(reference, overrides), registry);
}

/** The plugin references of a recipe that failed the core schema, where they are well-formed enough to check. */
function rawReferences(raw: JsonObject): { method?: PluginReference; plugins: (readonly [number, PluginReference])[] } {
  const isReference = (value: unknown): value is PluginReference => isJsonObject(value) && typeof value.name === 'string' && value.name.length > 0;
  const plugins = Array.isArray(raw.plugins) ? raw.plugins.flatMap((p, i) => (isReference(p) ? [[i, p] as const] : [])) : [];
  return { method: isReference(raw.method) ? raw.method : undefined, plugins };
}

function validatePluginOptions(reference: PluginReference, kind: PluginKind, path: string, findings: Findings, registry?: DependencyContainer): PluginReference {
  const unknown = unknownPluginProblem(reference.name, kind, `${path}.name`, registry);
  if (unknown) {
    findings.problems.push(unknown);
    findings.unknownPlugins++;
    return reference;
  }
  const definition = registeredPlugins(kind, registry).find((d) => d.name === reference.name)!;
  const { name, ...options } = reference;
  const parsed = definition.options.safeParse(options);
  if (!parsed.success) {
    findings.problems.push(...formatIssues(parsed.error.issues, path, options, definition.options));
    findings.docs.set(definition.name, pluginDocs(definition));
    return reference;
  }
  return { name, ...(parsed.data as Record<string, unknown>) };
}

function invalid(source: string, findings: Findings): BclError {
  const onlyUnknownPlugins = findings.unknownPlugins === findings.problems.length;
  const pages = [...findings.docs].flatMap(([name, page]) => (page ? [`${name}'s options: ${page}.`] : []));
  const hint = onlyUnknownPlugins ? UNKNOWN_PLUGIN_HINT : ['docs/recipes.md lists every field with its type and default.', ...pages, ...(findings.unknownPlugins > 0 ? [UNKNOWN_PLUGIN_HINT] : [])].join(' ');
  return new BclError(onlyUnknownPlugins ? 'UNKNOWN_PLUGIN' : 'RECIPE_INVALID', `${source} is invalid:\n  - ${findings.problems.join('\n  - ')}`, { hint });
}
