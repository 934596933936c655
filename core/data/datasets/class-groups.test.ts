import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classGroups } from './class-groups';

test('thresholds: many > 100, few < 20, medium 20..100 (ImageNet-LT)', () => {
  const groups = classGroups([150, 100, 101, 20, 19, 0]);
  assert.deepEqual(groups.many, [0, 2]);
  assert.deepEqual(groups.medium, [1, 3]);
  assert.deepEqual(groups.few, [4, 5]);
  assert.deepEqual(groups.groupOf, ['many', 'medium', 'many', 'medium', 'few', 'few']);
});

test('thresholds are configurable', () => {
  const groups = classGroups([50, 10, 5], { kind: 'thresholds', manyAbove: 20, fewBelow: 6 });
  assert.deepEqual([groups.many, groups.medium, groups.few], [[0], [1], [2]]);
});

test('thirds: 3 / 4 / 3 of 10 classes by descending count', () => {
  // Classes listed out of frequency order on purpose; 5 and 6 tie, lower id ranks first.
  const counts = [10, 1000, 46, 599, 16, 77, 77, 215, 359, 27];
  const groups = classGroups(counts, { kind: 'thirds' });
  assert.deepEqual(groups.many, [1, 3, 8]);
  assert.deepEqual(groups.medium, [5, 6, 7, 2].sort((a, b) => a - b));
  assert.deepEqual(groups.few, [0, 4, 9]);
});

test('thirds: 33 / 34 / 33 of 100 classes', () => {
  const counts = Array.from({ length: 100 }, (_, c) => 500 - c);
  const groups = classGroups(counts, { kind: 'thirds' });
  assert.deepEqual([groups.many.length, groups.medium.length, groups.few.length], [33, 34, 33]);
  assert.equal(groups.many[32], 32);
  assert.equal(groups.few[0], 67);
});

test("authors-thirds: disjoint_summary's split, the remainder goes to many (4 / 3 / 3, 34 / 33 / 33)", () => {
  // numpy: sortIdx = np.argsort(counts); minor = sortIdx[:3], moderate = sortIdx[3:6], major = sortIdx[6:].
  // argsort of these (distinct) counts is [0, 4, 9, 2, 5, 6, 7, 8, 3, 1].
  const counts = [10, 1000, 46, 599, 16, 77, 78, 215, 359, 27];
  const groups = classGroups(counts, { kind: 'authors-thirds' });
  assert.deepEqual(groups.few, [0, 4, 9]);
  assert.deepEqual(groups.medium, [2, 5, 6]);
  assert.deepEqual(groups.many, [1, 3, 7, 8]);
  const hundred = classGroups(Array.from({ length: 100 }, (_, c) => 500 - c), { kind: 'authors-thirds' });
  assert.deepEqual([hundred.many.length, hundred.medium.length, hundred.few.length], [34, 33, 33]);
  assert.equal(hundred.many[33], 33);
  assert.equal(hundred.few[0], 67);
});
