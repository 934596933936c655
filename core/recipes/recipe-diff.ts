import { isJsonObject } from './deep-merge';

/**
 * Recipe fields that do not change what a run computes, so a resume may change them. `overrides`
 * is only a record: the values it set are compared where they landed.
 */
const HARMLESS_PREFIXES = ['description', 'overrides', 'logging', 'checkpoint', 'data.workers'];

/** A field that differs between two recipes. */
export interface RecipeDifference {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  /** True for fields that do not change the computation (logging, checkpoint cadence). */
  readonly harmless: boolean;
}

/** Lists the leaf fields that differ between two resolved recipes, with dotted paths. */
export function diffRecipes(before: unknown, after: unknown, path = ''): RecipeDifference[] {
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].sort().flatMap((key) => diffRecipes(before[key], after[key], path ? `${path}.${key}` : key));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const harmless = HARMLESS_PREFIXES.some((p) => path === p || path.startsWith(`${p}.`));
  return [{ path, before, after, harmless }];
}
