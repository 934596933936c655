/**
 * A seeded, schema-driven recipe fuzzer (issue 15). It starts from every shipped recipe, resolved
 * (so every field the schema knows is present), and mutates one leaf or object at a time: wrong
 * types, boundary and huge numbers, empty strings, unknown fields, removed fields. Property: each
 * case validates, or fails with a documented recipe error whose message names a `recipe.` path;
 * never another exception. Bounded in cases (and so in time: about 3 s here).
 */
import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { container } from 'tsyringe';
import { isBclError, listBuiltinRecipes, resolveRecipe, Rng, validateRecipe } from '../core/index';
import { registerBuiltinPlugins } from '../plugins/index';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const REPLACEMENTS: readonly Json[] = [null, true, 0, -1, 0.5, 1e308, -1e308, 2 ** 53, '', 'x'.repeat(10_000), [], {}, [1, 2, 3], { op: 'x' }, 'simclr'];

/** Every path in `value` (objects and arrays included), depth first. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function mutate(root: Json, at: (string | number)[], change: (parent: { [key: string]: Json } | Json[], key: string | number) => void): Json {
  const copy = structuredClone(root);
  let parent = copy as { [key: string]: Json } | Json[];
  for (const key of at.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key] as { [key: string]: Json };
  change(parent, at[at.length - 1]);
  return copy;
}

test('recipe fuzzer: every mutated recipe validates or fails with a named RECIPE_INVALID / UNKNOWN_PLUGIN error', () => {
  const registry = container.createChildContainer();
  registerBuiltinPlugins(registry);
  const rng = new Rng(15);
  const counts = { cases: 0, accepted: 0, rejected: 0 };
  const failures: string[] = [];
  for (const name of listBuiltinRecipes()) {
    const base = JSON.parse(JSON.stringify(resolveRecipe(name, registry))) as Json;
    const all = paths(base).filter((p) => p.length > 0);
    // Every path once with a random replacement, plus random extra cases: unknown keys, deletions.
    const cases: Json[] = all.map((p) => mutate(base, p, (parent, key) => void ((parent as Record<string | number, Json>)[key] = REPLACEMENTS[rng.int(REPLACEMENTS.length)])));
    for (let i = 0; i < 60; i++) {
      const p = all[rng.int(all.length)];
      const kind = rng.int(3);
      cases.push(mutate(base, p, (parent, key) => {
        const record = parent as Record<string | number, Json>;
        if (kind === 0 && !Array.isArray(parent)) delete record[key];
        else if (kind === 1 && record[key] !== null && typeof record[key] === 'object' && !Array.isArray(record[key])) (record[key] as Record<string, Json>)['unknownField' + i] = 1;
        else record[key] = typeof record[key] === 'number' ? (record[key] as number) * (rng.next() < 0.5 ? -1 : 1e9) : REPLACEMENTS[rng.int(REPLACEMENTS.length)];
      }));
    }
    for (const recipe of cases) {
      counts.cases++;
      try {
        validateRecipe(recipe as Record<string, never>, 'fuzzed recipe', registry);
        counts.accepted++;
      } catch (error) {
        if (isBclError(error) && (error.code === 'RECIPE_INVALID' || error.code === 'UNKNOWN_PLUGIN') && /recipe[.[]/.test(error.message)) counts.rejected++;
        else failures.push(`${name}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`.slice(0, 300));
      }
    }
  }
  console.log(`recipe fuzzer: ${counts.cases} cases, ${counts.accepted} accepted, ${counts.rejected} named errors, ${failures.length} other`);
  assert.deepEqual(failures.slice(0, 5), [], `${failures.length} cases ended in an unnamed error`);
  assert.ok(counts.rejected > counts.cases / 2, 'most mutations are rejected (the fuzzer reaches the validator)');
});
