import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatasetSpec } from '../recipes/recipe-schema';
import { DatasetSchema } from '../recipes/recipe-schema';
import { classPermutation } from './datasets/class-permutation';
import { DatasetError } from './datasets/dataset-error';
import { encodeIdxImages, encodeIdxLabels } from './datasets/idx-writer';
import { longTailCounts } from './datasets/long-tail';
import { padAndReplicate } from './datasets/pad-replicate';
import { loadDataset, loadProbeTrainingSet } from './load-dataset';

// Written by numpy 2.4: np.save(f, np.array([3, 0, 17, 5, 42], dtype='<i8')).
const SPLIT_NPY = 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDUsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoDAAAAAAAAAAAAAAAAAAAAEQAAAAAAAAAFAAAAAAAAACoAAAAAAAAA';
// np.save(f, np.arange(20, dtype='<i8')): file indices 0..19, two of each class of the toy set.
const PROBE_NPY = 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIwLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAEAAAAAAAAAAgAAAAAAAAADAAAAAAAAAAQAAAAAAAAABQAAAAAAAAAGAAAAAAAAAAcAAAAAAAAACAAAAAAAAAAJAAAAAAAAAAoAAAAAAAAACwAAAAAAAAAMAAAAAAAAAA0AAAAAAAAADgAAAAAAAAAPAAAAAAAAABAAAAAAAAAAEQAAAAAAAAASAAAAAAAAABMAAAAAAAAA';

/**
 * A Fashion-MNIST-shaped folder: `perClass` 28x28 images of each of 10 classes; image i has label
 * i % 10 and its first two pixels encode i, so every choice can be traced back to a file index.
 */
const dir = mkdtempSync(join(tmpdir(), 'bcl-load-dataset-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
function writeToyFashionMnist(perClass: number): void {
  for (const prefix of ['train', 't10k']) {
    const size = perClass * 10;
    const pixels = new Uint8Array(size * 28 * 28);
    for (let i = 0; i < size; i++) {
      pixels[i * 784] = i >> 8;
      pixels[i * 784 + 1] = i & 0xff;
      pixels[i * 784 + 783] = 200; // bottom-right pixel: marks where padding put the image
    }
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), encodeIdxImages(pixels, 28, 28));
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), encodeIdxLabels(Array.from({ length: size }, (_, i) => i % 10)));
  }
  writeFileSync(join(dir, 'split.npy'), Buffer.from(SPLIT_NPY, 'base64'));
  writeFileSync(join(dir, 'probe.npy'), Buffer.from(PROBE_NPY, 'base64'));
}
writeToyFashionMnist(20);

const spec = (fields: Record<string, unknown>): DatasetSpec => DatasetSchema.parse({ type: 'fashion-mnist', dir, ...fields });
const fileIndex = (data: Uint8Array, at = 0): number => (data[at] << 8) | data[at + 1];
const badOption = (pattern: RegExp) => (error: unknown) => error instanceof DatasetError && error.reason === 'bad-option' && pattern.test(error.message);

test("select 'first' keeps the first n_c images of each class in file order", async () => {
  const lt = await loadDataset(spec({ imbalanceRatio: 10, select: 'first' }), 123);
  const counts = longTailCounts(20, 10, 10);
  assert.deepEqual([...lt.classCounts()], counts);
  const expected: number[] = [];
  // Class c's images sit at file indices c, c + 10, c + 20, ...: the first n_c of them.
  for (let c = 0; c < 10; c++) for (let j = 0; j < counts[c]; j++) expected.push(c + 10 * j);
  expected.sort((a, b) => a - b);
  assert.deepEqual(Array.from({ length: lt.size }, (_, i) => fileIndex(lt.image(i).data)), expected);
  // The recipe seed does not enter a first-n choice.
  const other = await loadDataset(spec({ imbalanceRatio: 10, select: 'first' }), 7);
  assert.equal(other.fingerprint, lt.fingerprint);
});

test('classPermutationSeed decides which classes are rare; counts follow the permuted profile', async () => {
  const counts = longTailCounts(20, 10, 10);
  const orders = new Set<string>();
  for (const permutationSeed of [0, 1, 2]) {
    const order = classPermutation(10, permutationSeed);
    assert.deepEqual([...order].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    orders.add(order.join(','));
    const lt = await loadDataset(spec({ imbalanceRatio: 10, classPermutationSeed: permutationSeed, sampleSeed: 5 }), 0);
    const got = lt.classCounts();
    order.forEach((cls, rank) => assert.equal(got[cls], counts[rank], `class ${cls} has rank ${rank}`));
    assert.match(lt.name, new RegExp(`perm=${permutationSeed}`));
  }
  assert.equal(orders.size, 3, 'three seeds give three permutations');
  assert.ok(!orders.has('0,1,2,3,4,5,6,7,8,9'), 'none of them is label order');
  assert.deepEqual(classPermutation(10, 1), classPermutation(10, 1));
});

test('sampleSeed fixes the random draw across recipe seeds', async () => {
  const a = await loadDataset(spec({ imbalanceRatio: 10, sampleSeed: 9 }), 1);
  const b = await loadDataset(spec({ imbalanceRatio: 10, sampleSeed: 9 }), 2);
  const c = await loadDataset(spec({ imbalanceRatio: 10 }), 1);
  const d = await loadDataset(spec({ imbalanceRatio: 10 }), 2);
  assert.equal(a.fingerprint, b.fingerprint);
  assert.notEqual(c.fingerprint, d.fingerprint);
});

test('indicesFile reads an authors-style .npy split; probeIndicesFile narrows the full-shot probe set', async () => {
  const split = await loadDataset(spec({ indicesFile: join(dir, 'split.npy') }), 0);
  assert.deepEqual(Array.from({ length: split.size }, (_, i) => fileIndex(split.image(i).data)), [3, 0, 17, 5, 42]);
  assert.deepEqual(Array.from({ length: split.size }, (_, i) => split.label(i)), [3, 0, 7, 5, 2]);
  const probe = await loadProbeTrainingSet(spec({ indicesFile: join(dir, 'split.npy'), probeIndicesFile: join(dir, 'probe.npy'), padTo: 32 }));
  assert.ok(probe);
  assert.equal(probe.size, 20);
  assert.deepEqual([...probe.classCounts()], new Array(10).fill(2));
  assert.deepEqual(probe.imageShape, { height: 32, width: 32, channels: 1 });
  const whole = await loadProbeTrainingSet(spec({ imbalanceRatio: 10 }));
  assert.equal(whole?.size, 200);
});

test('padTo and channels turn 28x28x1 into 32x32x3 on both splits, image centred, grey copied', async () => {
  for (const split of ['train', 'test'] as const) {
    const padded = await loadDataset(spec({ imbalanceRatio: 10, padTo: 32, channels: 3 }), 0, split);
    const plain = await loadDataset(spec({ imbalanceRatio: 10 }), 0, split);
    assert.deepEqual(padded.imageShape, { height: 32, width: 32, channels: 3 });
    assert.equal(padded.size, plain.size);
    for (const i of [0, padded.size - 1]) {
      const { data } = padded.image(i);
      const source = plain.image(i).data;
      // Source (0, 0) lands at (2, 2); source (27, 27) at (29, 29); the 2-pixel frame is zero.
      for (let c = 0; c < 3; c++) {
        assert.equal(data[(2 * 32 + 2) * 3 + c], source[0]);
        assert.equal(data[(2 * 32 + 3) * 3 + c], source[1]);
        assert.equal(data[(29 * 32 + 29) * 3 + c], 200);
        assert.equal(data[(30 * 32 + 30) * 3 + c], 0);
        assert.equal(data[c], 0);
      }
      assert.equal(padded.label(i), plain.label(i));
    }
    assert.notEqual(padded.fingerprint, plain.fingerprint);
  }
});

test('bad long-tail and padding fields are dataset errors naming the field', async () => {
  await assert.rejects(loadDataset(spec({ nMax: 10 }), 0), badOption(/recipe\.data\.dataset\.nMax .*imbalanceRatio is not set/));
  await assert.rejects(loadDataset(spec({ indicesFile: join(dir, 'split.npy'), imbalanceRatio: 10 }), 0), badOption(/indicesFile .*imbalanceRatio cannot also be set/));
  await assert.rejects(loadDataset(spec({ imbalanceRatio: 10, nMax: 21 }), 0), badOption(/at most 20 records of class 0/));
  const plain = await loadDataset(spec({}), 0);
  assert.throws(() => padAndReplicate(plain, { padTo: 27 }), badOption(/padTo must be an integer >= the image side/));
  assert.equal(padAndReplicate(plain, { padTo: 28 }), plain, 'nothing to change: the same dataset');
  assert.throws(() => DatasetSchema.parse({ type: 'fashion-mnist', channels: 2 }));
  assert.throws(() => DatasetSchema.parse({ type: 'fashion-mnist', select: 'last' }));
});
