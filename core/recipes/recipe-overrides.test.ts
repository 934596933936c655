import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { applyOverrides, parseOverride } from './recipe-overrides';

const toyOptions = z.strictObject({ tag: z.string().default('a'), temperature: z.number().default(0.2), scales: z.tuple([z.number(), z.number()]).optional() });
const lookup = (kind: string, name: string) => (kind === 'method' && name === 'toy' ? toyOptions : undefined);
const base = { method: { name: 'toy' }, data: { dataset: { type: 'synthetic' } } };

test('paths: dots, [i] indices and numeric segments', () => {
  assert.deepEqual(parseOverride('plugins[0].beta=1').path, ['plugins', 0, 'beta']);
  assert.deepEqual(parseOverride('plugins.0.beta=1').path, ['plugins', 0, 'beta']);
  assert.deepEqual(parseOverride('data.mean[2]=0.3').path, ['data', 'mean', 2]);
  assert.equal(parseOverride('description=a=b').value, 'a=b', 'only the first = splits');
  assert.throws(() => parseOverride('a..b=1'), /is not a dotted path/);
  assert.throws(() => parseOverride('[0]=1'), /a path starts with a field name/);
});

test("a plugin option's value is typed by that plugin's schema", () => {
  const out = applyOverrides(base, ['method.tag=42', 'method.temperature=0.5', 'method.scales=[1,2]'], lookup);
  assert.deepEqual(out.method, { name: 'toy', tag: '42', temperature: 0.5, scales: [1, 2] });
  // An unknown plugin gives no schema: JSON where the text is JSON, text otherwise.
  const unknown = applyOverrides({ ...base, method: { name: 'other' } }, ['method.tag=42', 'method.word=hello'], lookup);
  assert.deepEqual(unknown.method, { name: 'other', tag: 42, word: 'hello' });
});

test('the input is not changed, and overrides accumulate in order', () => {
  const once = applyOverrides(base, ['epochs=2'], lookup);
  const twice = applyOverrides(once, ['seed=1'], lookup);
  assert.deepEqual(twice.overrides, ['epochs=2', 'seed=1']);
  assert.equal((base as Record<string, unknown>).epochs, undefined);
  assert.equal(applyOverrides(base, [], lookup), base, 'no overrides: the same object, no overrides field');
});
