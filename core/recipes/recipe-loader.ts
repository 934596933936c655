import * as fs from 'node:fs';
import * as path from 'node:path';
import { BclError } from '../errors';
import { didYouMean } from '../util/did-you-mean';
import { packageRoot } from '../util/package-root';
import { deepMerge, isJsonObject, type JsonObject } from './deep-merge';

/** The folder of the recipes shipped with the package. */
export function builtinRecipeDir(): string {
  return path.join(packageRoot(), 'recipes');
}

/** Names of the shipped recipes (file names without `.json`). */
export function listBuiltinRecipes(): string[] {
  const dir = builtinRecipeDir();
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/**
 * Finds a recipe file: an existing path as given, else relative to `fromDir` (the extending
 * recipe's folder), else a shipped recipe name (with or without `.json`).
 */
export function locateRecipe(reference: string, fromDir: string = process.cwd()): string {
  const withJson = reference.endsWith('.json') ? reference : `${reference}.json`;
  const candidates = [
    path.resolve(fromDir, reference),
    path.resolve(fromDir, withJson),
    path.join(builtinRecipeDir(), withJson),
  ];
  const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  if (found && !found.endsWith('.json')) {
    // Only .json files are recipes: `extends: "/etc/passwd"` must not read (and echo) any file.
    throw new BclError('RECIPE_INVALID', `recipe "${reference}" is not a .json file.`, { hint: 'Recipes are JSON files whose names end in .json.' });
  }
  if (found) return found;
  throw new BclError('RECIPE_INVALID', `recipe "${reference}" not found (looked in ${fromDir} and ${builtinRecipeDir()}).`, {
    hint: `${didYouMean(path.basename(reference, '.json'), listBuiltinRecipes()).trim()} Give a path to a .json file or one of the shipped names: ${listBuiltinRecipes().join(', ')}.`.trim(),
  });
}

/** Reads one recipe file as a JSON object, with line and column on syntax errors. */
export function readRecipeFile(file: string): JsonObject {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new BclError('RECIPE_INVALID', `cannot read recipe ${file}: ${(error as Error).message}.`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const where = locate(text, (error as Error).message);
    throw new BclError('RECIPE_INVALID', `${file}${where}: invalid JSON (${syntaxReason((error as Error).message)}).`, {
      hint: 'Recipes are strict JSON: double-quoted keys, no trailing commas, no comments.',
      cause: error,
    });
  }
  if (!isJsonObject(value)) {
    throw new BclError('RECIPE_INVALID', `${file}: a recipe must be a JSON object, but got ${Array.isArray(value) ? 'an array' : typeof value}.`);
  }
  return value;
}

/**
 * Loads a recipe and everything it `extends` (depth first, left to right, later layers win),
 * returning the merged raw object without `extends`. Cycles are an error.
 */
export function loadRawRecipe(reference: string, fromDir: string = process.cwd()): JsonObject {
  return loadLayers(locateRecipe(reference, fromDir), []);
}

function loadLayers(file: string, chain: string[]): JsonObject {
  if (chain.includes(file)) {
    throw new BclError('RECIPE_INVALID', `recipe extends itself: ${[...chain, file].map((f) => path.basename(f)).join(' -> ')}.`);
  }
  const recipe = readRecipeFile(file);
  const parents = recipe.extends === undefined ? [] : Array.isArray(recipe.extends) ? recipe.extends : [recipe.extends];
  let merged: unknown = {};
  for (const parent of parents) {
    if (typeof parent !== 'string') {
      throw new BclError('RECIPE_INVALID', `${file}: recipe.extends must be a recipe name or an array of names, but got ${JSON.stringify(parent)}.`);
    }
    merged = deepMerge(merged, loadLayers(locateRecipe(parent, path.dirname(file)), [...chain, file]));
  }
  const { extends: _ignored, ...own } = recipe;
  const imports = [...importsOf(merged), ...importsOf(ownImports(own, file))];
  const result = deepMerge(merged, own) as JsonObject;
  if (imports.length > 0) result.imports = [...new Set(imports)];
  return result;
}

/**
 * A layer's `imports` with relative paths made absolute from the file that lists them (so they
 * survive `extends` from another folder and the copy in a run's recipe.json); package names and
 * absolute paths unchanged. Anything malformed is left for validation.
 */
function ownImports(layer: JsonObject, file: string): JsonObject {
  if (!Array.isArray(layer.imports)) return layer;
  const fromDir = path.dirname(file);
  const relative = (s: string) => s === '.' || s === '..' || s.startsWith('./') || s.startsWith('../');
  return { ...layer, imports: layer.imports.map((i) => (typeof i === 'string' && relative(i) ? path.resolve(fromDir, i) : i)) };
}

/** The imports of every layer load (a union, in order), unlike other arrays, which the later layer replaces. */
function importsOf(layer: unknown): unknown[] {
  return isJsonObject(layer) && Array.isArray(layer.imports) ? layer.imports : [];
}

/**
 * The parser's reason without the excerpt of the file that V8 quotes (`Unexpected token 'r',
 * "root:x:0:0"... is not valid JSON`): errors must not echo the contents of files that are not recipes.
 */
function syntaxReason(message: string): string {
  return message.replace(/,?\s*".*$/s, '').replace(/\s+in JSON at position \d+.*$/s, '').trim() || 'syntax error';
}

function locate(text: string, message: string): string {
  const match = /position (\d+)/.exec(message);
  if (!match) return '';
  const position = Number(match[1]);
  const before = text.slice(0, position).split('\n');
  return `:${before.length}:${before[before.length - 1].length + 1}`;
}
