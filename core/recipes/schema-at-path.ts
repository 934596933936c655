import type { z } from 'zod';

/**
 * Reads zod schemas structurally (through `_zod.def`, which zod 4 documents for tooling), so that
 * `--set a.b=value` can parse a value by the type at that path and errors can list a field's
 * allowed values and known sibling names. Works on any zod 4 copy, including a plugin's own.
 */

type Def = { type: string } & Record<string, unknown>;
/** Any zod 4 schema, seen structurally. */
export type AnySchema = z.core.$ZodType;

function def(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** True for zod 4 schemas (plugins might, in principle, bring something else). */
export function isZod4Schema(value: unknown): value is AnySchema {
  return typeof value === 'object' && value !== null && '_zod' in value && typeof (value as { _zod: { def?: unknown } })._zod.def === 'object';
}

/** Strips wrappers that do not change what a value may be: default, prefault, optional, readonly, catch, pipe input. */
export function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const d = def(current);
    if (['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(d.type)) current = d.innerType as AnySchema;
    else if (d.type === 'pipe') current = d.in as AnySchema;
    else return current;
  }
}

/** True when the schema, or a wrapper around it, accepts null. */
function acceptsNull(schema: AnySchema): boolean {
  let current = schema;
  for (;;) {
    const d = def(current);
    if (d.type === 'nullable' || d.type === 'null') return true;
    if (['default', 'prefault', 'optional', 'readonly', 'catch', 'nonoptional'].includes(d.type)) current = d.innerType as AnySchema;
    else if (d.type === 'pipe') current = d.in as AnySchema;
    else return false;
  }
}

/** The options of a union (one entry for anything else). */
function alternatives(schema: AnySchema): AnySchema[] {
  const inner = unwrap(schema);
  const d = def(inner);
  return d.type === 'union' ? (d.options as AnySchema[]).flatMap(alternatives) : [inner];
}

/** The fields of an object schema, or undefined for anything else. */
export function objectShape(schema: AnySchema): Record<string, AnySchema> | undefined {
  const d = def(unwrap(schema));
  return d.type === 'object' ? (d.shape as Record<string, AnySchema>) : undefined;
}

/** True for objects that keep unknown fields (the plugin references: their options belong to the plugin). */
export function isLooseObject(schema: AnySchema): boolean {
  const d = def(unwrap(schema));
  return d.type === 'object' && d.catchall !== undefined && def(d.catchall as AnySchema).type === 'unknown';
}

/**
 * The union option that `value` selects: for a discriminated union the option whose discriminator
 * accepts `value[discriminator]`; otherwise the first object option that has `key`.
 */
function selectOption(options: AnySchema[], value: unknown, key?: string): AnySchema | undefined {
  const objects = options.filter((o) => objectShape(o) !== undefined);
  const tag = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  for (const option of objects) {
    const shape = objectShape(option)!;
    const discriminated = Object.entries(shape).filter(([, s]) => ['literal', 'enum'].includes(def(unwrap(s)).type));
    if (discriminated.length > 0 && tag && discriminated.every(([k, s]) => allowedValues(s)?.includes(tag[k] as never))) return option;
  }
  return objects.find((o) => key === undefined || key in objectShape(o)!);
}

/**
 * The schema of `value[key]` inside `parent` (whose value is `value`), or undefined when the
 * schema says nothing about that key (unknown field, loose object).
 */
export function childSchema(parent: AnySchema, key: PropertyKey, value: unknown): AnySchema | undefined {
  const options = alternatives(parent);
  const typeOf = (s: AnySchema) => def(s).type;
  if (typeof key === 'number') {
    const list = options.find((o) => typeOf(o) === 'array' || typeOf(o) === 'tuple');
    if (!list) return undefined;
    const d = def(list);
    return d.type === 'array' ? (d.element as AnySchema) : ((d.items as AnySchema[])[key] ?? (d.rest as AnySchema | undefined) ?? undefined);
  }
  const option = selectOption(options, value, String(key));
  return option ? objectShape(option)![String(key)] : undefined;
}

/** The schema at `path` of a value validated by `root` (undefined where the schema stops knowing). */
export function schemaAtPath(root: AnySchema, path: readonly PropertyKey[], value: unknown): AnySchema | undefined {
  let schema: AnySchema | undefined = root;
  let current = value;
  for (const key of path) {
    if (!schema) return undefined;
    schema = childSchema(schema, key, current);
    current = current !== null && typeof current === 'object' ? (current as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return schema;
}

/** The field names an object at this schema may have (all union options together), or undefined. */
export function knownFields(schema: AnySchema, value: unknown): string[] | undefined {
  const options = alternatives(schema);
  const selected = selectOption(options, value);
  const shapes = (selected ? [selected] : options).map(objectShape).filter((s) => s !== undefined);
  return shapes.length === 0 ? undefined : [...new Set(shapes.flatMap((s) => Object.keys(s)))];
}

/** The values a literal/enum schema (or a union of them) allows, or undefined when it allows more. */
export function allowedValues(schema: AnySchema): (string | number | boolean | null)[] | undefined {
  const values: (string | number | boolean | null)[] = [];
  for (const option of alternatives(schema)) {
    const d = def(option);
    if (d.type === 'literal') values.push(...(d.values as (string | number | boolean | null)[]));
    else if (d.type === 'enum') values.push(...Object.values(d.entries as Record<string, string | number>));
    else return undefined;
  }
  if (acceptsNull(schema)) values.push(null);
  return values;
}

/** The JSON kinds of value a schema accepts. */
export type ValueKind = 'number' | 'boolean' | 'string' | 'null' | 'array' | 'object';

/** Which kinds of JSON value the schema may accept (a superset: refinements are not looked at). */
export function acceptedKinds(schema: AnySchema): Set<ValueKind> {
  const kinds = new Set<ValueKind>();
  if (acceptsNull(schema)) kinds.add('null');
  for (const option of alternatives(schema)) {
    const d = def(option);
    switch (d.type) {
      case 'number':
      case 'int':
      case 'bigint':
        kinds.add('number');
        break;
      case 'boolean':
        kinds.add('boolean');
        break;
      case 'string':
        kinds.add('string');
        break;
      case 'null':
        kinds.add('null');
        break;
      case 'array':
      case 'tuple':
        kinds.add('array');
        break;
      case 'object':
      case 'record':
        kinds.add('object');
        break;
      case 'literal':
      case 'enum':
        for (const v of allowedValues(option) ?? []) kinds.add(kindOf(v));
        break;
      default:
        // any, unknown, custom...: anything goes.
        for (const k of ['number', 'boolean', 'string', 'null', 'array', 'object'] as const) kinds.add(k);
    }
  }
  return kinds;
}

/** The JSON kind of a value. */
export function kindOf(value: unknown): ValueKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'number' || t === 'boolean' || t === 'string' ? t : 'object';
}
