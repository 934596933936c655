import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArrayDataset } from './array-dataset';
import { DatasetError } from './dataset-error';
import { subsetByIndices } from './subset';

function grey(name: string, pixels: number[], labels: number[]): ArrayDataset {
  return new ArrayDataset({
    name, pixels: Uint8Array.from(pixels), height: 1, width: 1, channels: 1, labels: Int32Array.from(labels), numClasses: 3,
  });
}

test('a subset maps indices to the parent and counts its own classes', () => {
  const parent = grey('p', [10, 11, 12, 13, 14], [0, 1, 2, 1, 0]);
  const view = subsetByIndices(parent, [3, 0, 3]);
  assert.equal(view.size, 3);
  assert.equal(view.name, 'p-subset(3)');
  assert.deepEqual([0, 1, 2].map((i) => view.image(i).data[0]), [13, 10, 13]);
  assert.deepEqual([0, 1, 2].map((i) => view.label(i)), [1, 0, 1]);
  assert.deepEqual([...view.classCounts()], [1, 2, 0]);
  view.classCounts()[0] = 99;
  assert.equal(view.classCounts()[0], 1, 'classCounts returns a copy');
});

test('the fingerprint depends on content and order, not on how the data was built', () => {
  const parent = grey('p', [10, 11, 12, 13, 14], [0, 1, 2, 1, 0]);
  const same = grey('other-name', [13, 10], [1, 0]);
  assert.equal(subsetByIndices(parent, [3, 0]).fingerprint, same.fingerprint);
  assert.notEqual(subsetByIndices(parent, [0, 3]).fingerprint, same.fingerprint);
  assert.notEqual(grey('x', [13, 10], [1, 1]).fingerprint, same.fingerprint, 'labels are hashed');
});

test('out-of-range indices are rejected with their position', () => {
  const parent = grey('p', [1, 2], [0, 1]);
  const outOfRange = (pattern: RegExp) => (error: unknown) =>
    error instanceof DatasetError && error.reason === 'index-out-of-range' && pattern.test(error.message);
  assert.throws(() => subsetByIndices(parent, [0, 2]), outOfRange(/indices\[1\] is 2/));
  assert.throws(() => subsetByIndices(parent, [-1]), outOfRange(/indices\[0\] is -1/));
  assert.throws(() => subsetByIndices(parent, [0.5]), outOfRange(/0\.5/));
  assert.throws(() => subsetByIndices(parent, [0]).image(1), RangeError);
  assert.throws(() => parent.label(2), /p: expected an index in \[0, 2\), but got 2/);
});
