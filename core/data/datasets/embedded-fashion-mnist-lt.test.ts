import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DatasetError } from './dataset-error';
import { embeddedDir, loadEmbeddedFashionMnistLt } from './embedded-fashion-mnist-lt';
import { findPackageRoot } from '../../util/package-root';

// Fingerprints recomputed independently in Python (hashlib + numpy) from the committed .gz files.
const TRAIN_SHA256 = 'ca52a61aae0e71d9fc7190795a1a9e1e683b79108620b19415d80b3873b06ecd';
const TEST_SHA256 = '8ac2451473ecae1221d8d688b87c144d59f4cf6ee6b1f20092f6420e0ca9f1d0';

test('the embedded train split is long-tailed with the documented counts', async () => {
  const train = await loadEmbeddedFashionMnistLt({ split: 'train' });
  assert.equal(train.name, 'fashion-mnist-lt(r=100)');
  assert.equal(train.size, 2478);
  assert.deepEqual(train.imageShape, { height: 28, width: 28, channels: 1 });
  assert.equal(train.numClasses, 10);
  // floor(1000 * 100^(-c/9)) for c = 0..9, worked out in float64 by hand / Python.
  assert.deepEqual([...train.classCounts()], [1000, 599, 359, 215, 129, 77, 46, 27, 16, 10]);
  assert.equal(train.fingerprint, TRAIN_SHA256);
});

test('the embedded test split is balanced, 100 per class', async () => {
  const testSplit = await loadEmbeddedFashionMnistLt({ split: 'test' });
  assert.equal(testSplit.size, 1000);
  assert.deepEqual([...testSplit.classCounts()], new Array(10).fill(100));
  assert.equal(testSplit.fingerprint, TEST_SHA256);
});

test('the embedded files fit the 3 MB budget', () => {
  const dir = embeddedDir();
  const total = readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
  assert.ok(total <= 3 * 1024 * 1024, `embedded folder is ${total} bytes`);
});

test('an edited embedded file is refused by fingerprint', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bcl-embedded-'));
  try {
    for (const name of readdirSync(embeddedDir())) {
      if (name.endsWith('.gz') || name.endsWith('.json')) copyFileSync(join(embeddedDir(), name), join(dir, name));
    }
    const labelsFile = join(dir, 'fashion-mnist-lt-test-labels-idx1-ubyte.gz');
    const labels = gunzipSync(readFileSync(labelsFile));
    labels[8] = (labels[8] + 1) % 10;
    writeFileSync(labelsFile, gzipSync(labels));
    await assert.rejects(loadEmbeddedFashionMnistLt({ split: 'test', dir }), (error: unknown) => {
      assert.ok(error instanceof DatasetError);
      assert.equal(error.reason, 'corrupt');
      assert.match(error.message, new RegExp(`expected the embedded test split to have fingerprint ${TEST_SHA256}`));
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing embedded folder is reason not-found', async () => {
  await assert.rejects(
    loadEmbeddedFashionMnistLt({ split: 'train', dir: join(tmpdir(), 'bcl-no-such-dir') }),
    (error: unknown) => error instanceof DatasetError && error.reason === 'not-found',
  );
});

test('findPackageRoot walks up to the folder holding package.json', () => {
  const root = mkdtempSync(join(tmpdir(), 'bcl-root-'));
  try {
    const deep = join(root, 'dist', 'core', 'data');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(root, 'package.json'), '{}');
    assert.equal(findPackageRoot(deep), root);
    assert.equal(findPackageRoot(root), root);
    assert.ok(statSync(join(findPackageRoot(), 'core', 'data', 'embedded')).isDirectory());
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
