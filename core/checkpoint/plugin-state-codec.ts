import type { PluginState, PluginStateValue } from '../hooks/contexts';
import type { NamedArray, StoredArray } from './checkpoint-format';

/** JSON stand-in for a typed array moved into the checkpoint's binary payload. */
interface ArrayRef {
  readonly $array: string;
}

/**
 * Splits plugin states into JSON (with `{ "$array": name }` references) and the typed arrays they
 * contain, so large per-sample buffers are stored as binary, not as JSON numbers.
 */
export function splitPluginStates(states: Record<string, PluginState>): { json: unknown; arrays: NamedArray[] } {
  const arrays: NamedArray[] = [];
  const walk = (value: PluginStateValue, path: string): unknown => {
    if (ArrayBuffer.isView(value)) {
      const name = `plugin:${path}`;
      arrays.push({ name, shape: [value.length], data: value as StoredArray });
      return { $array: name } satisfies ArrayRef;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, `${path}/${k}`)]));
    }
    return value;
  };
  const json = Object.fromEntries(Object.entries(states).map(([plugin, state]) => [plugin, walk(state, plugin)]));
  return { json, arrays };
}

/** Inverse of `splitPluginStates`. */
export function joinPluginStates(json: unknown, arrays: ReadonlyMap<string, NamedArray>): Record<string, PluginState> {
  const walk = (value: unknown): PluginStateValue => {
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') {
      const ref = (value as Partial<ArrayRef>).$array;
      if (typeof ref === 'string') {
        const array = arrays.get(ref);
        if (!array) throw new Error(`checkpoint references missing array "${ref}"`);
        return array.data;
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return value as PluginStateValue;
  };
  return (walk(json ?? {}) ?? {}) as Record<string, PluginState>;
}
