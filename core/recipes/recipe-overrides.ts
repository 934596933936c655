import { BclError } from '../errors';
import type { PluginKind } from '../plugin/plugin-definition';
import { isJsonObject, type JsonObject } from './deep-merge';
import { joinPath } from './format-issues';
import { RecipeSchema } from './recipe-schema';
import { acceptedKinds, kindOf, schemaAtPath, type AnySchema } from './schema-at-path';

/** Looks up a plugin's options schema by kind and name (undefined: unknown plugin, validation will say so). */
export type PluginOptionsLookup = (kind: PluginKind, name: string) => AnySchema | undefined;

/** One parsed `--set path=value`. */
export interface RecipeOverride {
  /** As written, e.g. `method.temperature=0.1`; recorded in the run's recipe.json. */
  readonly text: string;
  /** Path segments; numbers index arrays, other strings in an array of plugins select one by name. */
  readonly path: readonly (string | number)[];
  /** The text after the first `=`. */
  readonly value: string;
}

/** Parses `a.b[0].c=value` (also `a.b.0.c` and, for plugin lists, `plugins.bcl.beta`). */
export function parseOverride(text: string): RecipeOverride {
  const eq = text.indexOf('=');
  const usage = (why: string) =>
    new BclError('USAGE', `--set "${text}": ${why}.`, { hint: 'Write --set path=value with a dotted recipe path, e.g. --set method.temperature=0.1 or --set plugins[0].beta=0.9.' });
  if (eq <= 0) throw usage(eq === 0 ? 'the path before "=" is empty' : 'expected path=value');
  const pathText = text.slice(0, eq).trim();
  const path: (string | number)[] = [];
  for (const part of pathText.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match || (match[1] === '' && match[2] === '')) throw usage(`"${pathText}" is not a dotted path`);
    if (match[1] !== '') path.push(/^\d+$/.test(match[1]) ? Number(match[1]) : match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  if (typeof path[0] !== 'string') throw usage('a path starts with a field name');
  return { text, path, value: text.slice(eq + 1) };
}

/**
 * Applies `--set` overrides to a merged raw recipe (before validation, so a bad value gets the
 * recipe's usual path-qualified error). Each value is parsed by the schema's type at its path:
 * JSON when the schema accepts that JSON kind (numbers, booleans, null, arrays, objects), else the
 * text as a string where strings are allowed. `overrides` (the texts, in order) is appended to the
 * recipe so the run's recipe.json records how it was made. Returns a new object.
 */
export function applyOverrides(raw: JsonObject, overrides: readonly string[], pluginOptions: PluginOptionsLookup = () => undefined): JsonObject {
  if (overrides.length === 0) return raw;
  const recipe = structuredClone(raw);
  for (const text of overrides) {
    const override = parseOverride(text);
    const path = concretePath(recipe, override);
    setAt(recipe, path, parseValue(override.value, schemaFor(recipe, path, pluginOptions)), override);
  }
  const before = Array.isArray(recipe.overrides) ? recipe.overrides : [];
  recipe.overrides = [...before, ...overrides];
  return recipe;
}

/** Replaces plugin names in a path by their index in that list (`plugins.bcl.beta` -> `plugins.1.beta`). */
function concretePath(recipe: JsonObject, override: RecipeOverride): (string | number)[] {
  const path: (string | number)[] = [];
  let current: unknown = recipe;
  for (const key of override.path) {
    let concrete = key;
    // A list the recipe leaves out (`plugins` defaults to []) has no entry of that name either.
    if (current === undefined && typeof key === 'string' && path.length > 0 && isListField(recipe, path)) current = [];
    if (Array.isArray(current) && typeof key === 'string') {
      const index = current.findIndex((item) => isJsonObject(item) && item.name === key);
      if (index < 0) {
        const names = current.filter(isJsonObject).map((item) => JSON.stringify(item.name)).join(', ') || 'nothing';
        throw new BclError('USAGE', `--set "${override.text}": ${joinPath('recipe', path)} has no entry named "${key}" (it lists ${names}).`, {
          hint: 'Select a list entry by its index (plugins[0]) or by the name of a plugin the recipe lists.',
        });
      }
      concrete = index;
    }
    path.push(concrete);
    current = current !== null && typeof current === 'object' ? (current as Record<PropertyKey, unknown>)[concrete] : undefined;
  }
  return path;
}

function isListField(recipe: JsonObject, path: readonly (string | number)[]): boolean {
  const schema = schemaAtPath(RecipeSchema, path, recipe);
  return schema !== undefined && acceptedKinds(schema).has('array') && !acceptedKinds(schema).has('object');
}

/** The schema of the field at `path`: the recipe schema's, or inside `method` / `plugins[i]` the plugin's options schema. */
function schemaFor(recipe: JsonObject, path: readonly (string | number)[], pluginOptions: PluginOptionsLookup): AnySchema | undefined {
  const plugin = path[0] === 'method' ? { kind: 'method' as const, at: 1 } : path[0] === 'plugins' && typeof path[1] === 'number' ? { kind: 'addon' as const, at: 2 } : undefined;
  if (plugin && path.length > plugin.at && path[plugin.at] !== 'name') {
    const reference = path[0] === 'method' ? recipe.method : (recipe.plugins as unknown[] | undefined)?.[path[1] as number];
    const name = isJsonObject(reference) && typeof reference.name === 'string' ? reference.name : undefined;
    const options = name === undefined ? undefined : pluginOptions(plugin.kind, name);
    if (!options) return undefined;
    const { name: _name, ...values } = reference as JsonObject;
    return schemaAtPath(options, path.slice(plugin.at), values);
  }
  return schemaAtPath(RecipeSchema, path, recipe);
}

/**
 * `text` as the schema's type: JSON where the schema accepts that kind of JSON value, otherwise
 * the text itself where strings are allowed. A value of the wrong type is passed on as written,
 * for validation to reject with its path (`recipe.data.batchSize must be a number, but got "big"`).
 */
export function parseValue(text: string, schema: AnySchema | undefined): unknown {
  let json: unknown;
  let isJson = true;
  try {
    json = JSON.parse(text);
  } catch {
    isJson = false;
  }
  if (!schema) return isJson ? json : text;
  const kinds = acceptedKinds(schema);
  if (isJson && kinds.has(kindOf(json))) return json;
  if (kinds.has('string')) return text;
  return isJson ? json : text;
}

function setAt(recipe: JsonObject, path: readonly (string | number)[], value: unknown, override: RecipeOverride): void {
  let container: Record<PropertyKey, unknown> = recipe;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    let next = container[key];
    if (next === undefined) {
      next = typeof path[i + 1] === 'number' ? [] : {};
      container[key] = next;
    }
    if (next === null || typeof next !== 'object') {
      throw new BclError('USAGE', `--set "${override.text}": ${joinPath('recipe', path.slice(0, i + 1))} is ${JSON.stringify(next)}, not an object or list, so it has no field "${path[i + 1]}".`, {
        hint: 'Set the whole value instead, e.g. --set \'data.dataset={"type":"synthetic"}\'.',
      });
    }
    container = next as Record<PropertyKey, unknown>;
  }
  container[path[path.length - 1]] = value;
}

/** How a recipe is named in errors once overrides apply: `my.json with --set a=1 --set b=2`. */
export function describeOverridden(reference: string, overrides: readonly string[]): string {
  return overrides.length === 0 ? reference : `${reference} with ${overrides.map((o) => `--set ${o}`).join(' ')}`;
}
