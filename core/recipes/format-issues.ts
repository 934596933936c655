import type { z } from 'zod';

/**
 * Turns zod issues into path-qualified sentences such as
 * `recipe.method.temperature must be > 0, but got -1`.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], root: string, input: unknown): string[] {
  return issues.map((issue) => formatIssue(issue, root, input));
}

function formatIssue(issue: z.core.$ZodIssue, root: string, input: unknown): string {
  const path = joinPath(root, issue.path);
  const got = describe(valueAt(input, issue.path));
  switch (issue.code) {
    case 'too_small': {
      const op = issue.inclusive ? '>=' : '>';
      if (issue.origin === 'array') return `${path} must have ${op} ${issue.minimum} items, but got ${got}`;
      if (issue.origin === 'string') return `${path} must have ${op} ${issue.minimum} characters, but got ${got}`;
      return `${path} must be ${op} ${issue.minimum}, but got ${got}`;
    }
    case 'too_big': {
      const op = issue.inclusive ? '<=' : '<';
      if (issue.origin === 'array') return `${path} must have ${op} ${issue.maximum} items, but got ${got}`;
      return `${path} must be ${op} ${issue.maximum}, but got ${got}`;
    }
    case 'invalid_type':
      if (valueAt(input, issue.path) === undefined) return `${path} is required (${withArticle(issue.expected)})`;
      return `${path} must be ${withArticle(issue.expected)}, but got ${got}`;
    case 'invalid_value':
      return `${path} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, but got ${got}`;
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator) {
        return `${path}.${issue.discriminator} is not one of the known types, but got ${describe(valueAt(input, [...issue.path, issue.discriminator]))}`;
      }
      return `${path} matches none of the allowed forms, but got ${got}`;
    case 'unrecognized_keys':
      return `${path} has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'not_multiple_of':
      return `${path} must be a multiple of ${issue.divisor}, but got ${got}`;
    default:
      return `${path}: ${issue.message}, but got ${got}`;
  }
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

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length > 6 ? `an array of ${value.length}` : JSON.stringify(value);
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/** `a number`, `an array`, `an object`. */
function withArticle(expected: string): string {
  const noun = expected === 'int' ? 'integer' : expected;
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}
