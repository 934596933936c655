import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from './dataset-error';
import { FASHION_MNIST_DEFAULT_DIR, loadFashionMnist } from './fashion-mnist';

const installed = existsSync(join(FASHION_MNIST_DEFAULT_DIR, 'train-images-idx3-ubyte.gz'));
const skip = installed ? false : `Fashion-MNIST not installed at ${FASHION_MNIST_DEFAULT_DIR} (apt-get install dataset-fashion-mnist)`;

// Reference values computed independently with Python/numpy from the same files.
test('loads the real Fashion-MNIST test split', { skip }, async () => {
  const ds = await loadFashionMnist({ split: 'test' });
  assert.equal(ds.size, 10000);
  assert.equal(ds.name, 'fashion-mnist-test');
  assert.deepEqual(ds.imageShape, { height: 28, width: 28, channels: 1 });
  assert.deepEqual([...ds.classCounts()], new Array(10).fill(1000));
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => ds.label(i)), [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
  const first = ds.image(0).data;
  assert.equal(first.reduce((a, b) => a + b, 0), 33456);
  assert.deepEqual([...first.subarray(392, 400)], [0, 0, 0, 0, 0, 0, 2, 4]);
});

test('loads the real Fashion-MNIST train split', { skip }, async () => {
  const ds = await loadFashionMnist({ split: 'train' });
  assert.equal(ds.size, 60000);
  assert.deepEqual([...ds.classCounts()], new Array(10).fill(6000));
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => ds.label(i)), [9, 0, 0, 3, 0]);
  assert.equal(ds.image(0).data.reduce((a, b) => a + b, 0), 76247);
});

test('a missing Fashion-MNIST says how to install it', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'bcl-fm-'));
  try {
    await assert.rejects(loadFashionMnist({ dir: empty, split: 'train' }), (error: unknown) => {
      assert.ok(error instanceof DatasetError);
      assert.equal(error.reason, 'not-found');
      assert.match(error.message, /train-images-idx3-ubyte\.gz/);
      assert.match(error.message, /apt-get install dataset-fashion-mnist/);
      return true;
    });
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
