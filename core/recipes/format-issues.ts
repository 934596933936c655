import type { z } from 'zod';
import { didYouMean } from '../util/did-you-mean';
import { allowedValues, knownFields, schemaAtPath, type AnySchema } from './schema-at-path';

/**
 * Turns zod issues into path-qualified sentences such as
 * `recipe.method.temperature must be > 0, but got -1`. With the `schema` that produced them, a
 * bad enum or discriminator lists the allowed values, and an unknown field or value gets a
 * "did you mean" from the names the schema knows.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], root: string, input: unknown, schema?: AnySchema): string[] {
  return issues.map((issue) => formatIssue(issue, root, input, schema));
}

function formatIssue(issue: z.core.$ZodIssue, root: string, input: unknown, schema?: AnySchema): string {
  const path = joinPath(root, issue.path);
  const value = valueAt(input, issue.path);
  const got = describe(value);
  switch (issue.code) {
    case 'invalid_union': {
      // A discriminated union names the field (path ends with it) and lists the allowed tags.
      if ('discriminator' in issue && issue.discriminator && 'options' in issue && Array.isArray(issue.options)) {
        return oneOf(path, issue.options as Primitive[], value);
      }
      // Each alternative failed at this very value: say what each one wanted.
      const wants = issue.errors.map((branch) => (branch.length === 1 && branch[0].path.length === 0 ? requirement(branch[0]) : undefined));
      if (wants.length > 0 && wants.every((w) => w !== undefined)) {
        const values = issue.errors.flatMap((branch) => (branch[0].code === 'invalid_value' ? branch[0].values : []));
        if (values.length === wants.length) return oneOf(path, values as Primitive[], value);
        const unique = [...new Set(wants)];
        const phrase = unique.every((w) => w.startsWith('be ')) ? `be ${unique.map((w) => w.slice(3)).join(' or ')}` : unique.join(' or ');
        return `${path} must ${phrase}, but got ${got}`;
      }
      return `${path} matches none of the allowed forms, but got ${got}`;
    }
    case 'invalid_value':
      return oneOf(path, issue.values as Primitive[], value);
    case 'unrecognized_keys': {
      const objectSchema = schema ? schemaAtPath(schema, issue.path, input) : undefined;
      const known = objectSchema ? (knownFields(objectSchema, value) ?? []).filter((k) => !issue.keys.includes(k)) : [];
      const hints = issue.keys.map((k) => didYouMean(k, known)).join('');
      return `${path} has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}.${hints}`.replace(/\.$/, '');
    }
    case 'invalid_type':
      if (value === undefined) {
        const allowed = schema ? allowedAt(schema, issue.path, input) : undefined;
        return `${path} is required (${allowed ? `one of ${allowed.map(quote).join(', ')}` : withArticle(issue.expected)})`;
      }
      return `${path} must be ${withArticle(issue.expected)}, but got ${got}`;
    default: {
      const wants = requirement(issue);
      return wants ? `${path} must ${wants}, but got ${got}` : `${path}: ${issue.message}, but got ${got}`;
    }
  }
}

type Primitive = string | number | boolean | null | bigint | undefined | symbol;

/** `recipe.optimizer.type must be one of "sgd", "lars", but got "adam"`, with a did-you-mean for strings. */
function oneOf(path: string, values: readonly Primitive[], value: unknown): string {
  const allowed = values.map(quote).join(', ');
  if (value === undefined) return `${path} is required: one of ${allowed}`;
  const names = values.filter((v): v is string => typeof v === 'string');
  return `${path} must be one of ${allowed}, but got ${describe(value)}.${typeof value === 'string' ? didYouMean(value, names) : ''}`.replace(/\.$/, '');
}

/** What an issue wanted, as the words after "must": `be > 0`, `have >= 2 items`, `be a number`. */
function requirement(issue: z.core.$ZodIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `be ${withArticle(issue.expected)}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `be ${quote(issue.values[0] as Primitive)}` : `be one of ${issue.values.map((v) => quote(v as Primitive)).join(', ')}`;
    case 'too_small': {
      const op = issue.inclusive ? '>=' : '>';
      if (issue.origin === 'array') return `have ${op} ${issue.minimum} items`;
      if (issue.origin === 'string') return `have ${op} ${issue.minimum} characters`;
      return `be ${op} ${issue.minimum}`;
    }
    case 'too_big': {
      const op = issue.inclusive ? '<=' : '<';
      if (issue.origin === 'array') return `have ${op} ${issue.maximum} items`;
      if (issue.origin === 'string') return `have ${op} ${issue.maximum} characters`;
      return `be ${op} ${issue.maximum}`;
    }
    case 'not_multiple_of':
      return `be a multiple of ${issue.divisor}`;
    default:
      return undefined;
  }
}

function allowedAt(schema: AnySchema, path: readonly PropertyKey[], input: unknown): Primitive[] | undefined {
  const at = schemaAtPath(schema, path, input);
  const values = at ? allowedValues(at) : undefined;
  return values && values.length > 0 ? values : undefined;
}

/** `recipe` + `['plugins', 0, 'beta']` -> `recipe.plugins[0].beta`. */
export function joinPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function quote(value: Primitive): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length > 6 ? `an array of ${value.length}` : JSON.stringify(value);
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/** `a number`, `an array`, `an integer` (in JSON words: a tuple is an array). */
function withArticle(expected: string): string {
  const noun = ({ int: 'integer', tuple: 'array' } as Record<string, string>)[expected] ?? expected;
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}
