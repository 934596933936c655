import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArrayDataset } from './array-dataset';
import { DatasetError } from './dataset-error';
import { balancedKShot } from './k-shot';
import { longTailCounts, makeLongTailed } from './long-tail';

/** `perClass` records of each of `numClasses` classes, interleaved; record i's 2 pixels encode i. */
function toy(numClasses: number, perClass: number): ArrayDataset {
  const size = numClasses * perClass;
  const pixels = new Uint8Array(size * 2);
  const labels = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    pixels[2 * i] = i >> 8;
    pixels[2 * i + 1] = i & 0xff;
    labels[i] = i % numClasses;
  }
  return new ArrayDataset({ name: 'toy', pixels, height: 1, width: 2, channels: 1, labels, numClasses });
}

const isBadOption = (error: unknown) => error instanceof DatasetError && error.reason === 'bad-option';

test('profile counts match hand-worked cases', () => {
  // 100 * 10^(-1/3) = 46.42, 100 * 10^(-2/3) = 21.54, 100 / 10 = 10.
  assert.deepEqual(longTailCounts(100, 4, 10), [100, 46, 21, 10]);
  assert.deepEqual(longTailCounts(64, 5, 16), [64, 32, 16, 8, 4]);
  assert.deepEqual(longTailCounts(7, 3, 1), [7, 7, 7]);
});

test('profile reproduces the published CIFAR-LT sizes (r=100)', () => {
  const cifar10 = longTailCounts(5000, 10, 100);
  assert.deepEqual(cifar10, [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]);
  assert.equal(longTailCounts(500, 100, 100).reduce((a, b) => a + b), 10847);
});

test('profile rejects bad options', () => {
  assert.throws(() => longTailCounts(0, 10), isBadOption);
  assert.throws(() => longTailCounts(10, 1), isBadOption);
  assert.throws(() => longTailCounts(10, 10, 0.5), isBadOption);
});

test('makeLongTailed keeps the profile counts, right labels, in source order', () => {
  const source = toy(4, 100);
  const lt = makeLongTailed(source, { ratio: 10, seed: 7 });
  assert.equal(lt.name, 'toy-lt(r=10)');
  assert.deepEqual([...lt.classCounts()], [100, 46, 21, 10]);
  assert.equal(lt.size, 177);
  for (let i = 0; i < lt.size; i++) {
    const parentIndex = lt.indices[i];
    assert.equal(lt.label(i), parentIndex % 4);
    const { data } = lt.image(i);
    assert.equal((data[0] << 8) | data[1], parentIndex);
    if (i > 0) assert.ok(parentIndex > lt.indices[i - 1], 'indices strictly ascending');
  }
});

test('makeLongTailed is seeded: same seed same choice, other seed other choice', () => {
  const source = toy(4, 100);
  const a = makeLongTailed(source, { ratio: 10, seed: 1 });
  const b = makeLongTailed(source, { ratio: 10, seed: 1 });
  const c = makeLongTailed(source, { ratio: 10, seed: 2 });
  assert.deepEqual(a.indices, b.indices);
  assert.equal(a.fingerprint, b.fingerprint);
  assert.notDeepEqual(a.indices, c.indices);
  assert.notEqual(a.fingerprint, c.fingerprint);
});

test('a larger nMax with the same seed picks a superset', () => {
  const source = toy(4, 100);
  const small = new Set(makeLongTailed(source, { ratio: 10, nMax: 50, seed: 3 }).indices);
  const large = new Set(makeLongTailed(source, { ratio: 10, nMax: 80, seed: 3 }).indices);
  assert.deepEqual([...makeLongTailed(source, { ratio: 10, nMax: 50, seed: 3 }).classCounts()], [50, 23, 10, 5]);
  for (const index of small) assert.ok(large.has(index));
});

test('classOrder picks which class is the head', () => {
  const lt = makeLongTailed(toy(4, 100), { ratio: 10, seed: 1, classOrder: [2, 0, 3, 1] });
  assert.deepEqual([...lt.classCounts()], [46, 10, 100, 21]);
  assert.throws(() => makeLongTailed(toy(4, 100), { seed: 1, classOrder: [0, 0, 1, 2] }), isBadOption);
});

test('asking for more records than a class has is an error naming the class', () => {
  assert.throws(() => makeLongTailed(toy(3, 10), { nMax: 11, seed: 1 }), (error: unknown) => {
    assert.ok(isBadOption(error));
    assert.match((error as Error).message, /at most 10 records of class 0/);
    return true;
  });
});

test('balancedKShot takes k per class, seeded', () => {
  const source = toy(5, 20);
  const a = balancedKShot(source, { k: 3, seed: 9 });
  assert.deepEqual([...a.classCounts()], [3, 3, 3, 3, 3]);
  assert.equal(a.name, 'toy-3shot');
  assert.deepEqual(a.indices, balancedKShot(source, { k: 3, seed: 9 }).indices);
  assert.notDeepEqual(a.indices, balancedKShot(source, { k: 3, seed: 10 }).indices);
  assert.equal(new Set(a.indices).size, 15);
  assert.throws(() => balancedKShot(source, { k: 21, seed: 1 }), isBadOption);
  assert.throws(() => balancedKShot(source, { k: 0, seed: 1 }), isBadOption);
});

test('unlabelled datasets cannot be split by class', () => {
  const unlabelled = new ArrayDataset({ name: 'u', pixels: new Uint8Array(4), height: 1, width: 1, channels: 1, numClasses: 0 });
  assert.throws(() => balancedKShot(unlabelled, { k: 1, seed: 1 }), isBadOption);
});
