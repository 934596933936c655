/** A JSON object. */
export type JsonObject = { [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Merges recipe layers: objects merge key by key, everything else (arrays included) is replaced by
 * the later layer. Two objects with different `type` or `name` fields are different things (e.g. a
 * dataset of another type, another method), so the later one replaces the earlier one whole.
 */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isJsonObject(base) || !isJsonObject(override)) return override === undefined ? base : override;
  for (const key of ['type', 'name']) {
    if (key in base && key in override && base[key] !== override[key]) return override;
  }
  const merged: JsonObject = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = deepMerge(base[key], value);
  return merged;
}
