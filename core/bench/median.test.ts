import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median } from './median';

test('median: the middle value of an odd count, the mean of the middle two of an even one, NaN when empty; input untouched', () => {
  const values = [5, 1, 3];
  assert.equal(median(values), 3);
  assert.deepEqual(values, [5, 1, 3]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});
