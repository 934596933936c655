import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FASHION_MNIST_DEFAULT_DIR } from '../datasets/fashion-mnist';
import { embeddedDir } from '../datasets/embedded-fashion-mnist-lt';
import { writeEmbedded } from './make-embedded';

const installed = existsSync(join(FASHION_MNIST_DEFAULT_DIR, 'train-images-idx3-ubyte.gz'));
const skip = installed ? false : `Fashion-MNIST not installed at ${FASHION_MNIST_DEFAULT_DIR} (apt-get install dataset-fashion-mnist)`;

test('make-embedded regenerates the committed files byte for byte', { skip }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'bcl-make-embedded-'));
  try {
    await writeEmbedded(FASHION_MNIST_DEFAULT_DIR, out);
    for (const split of ['train', 'test']) {
      for (const kind of ['images-idx3', 'labels-idx1']) {
        const name = `fashion-mnist-lt-${split}-${kind}-ubyte.gz`;
        assert.ok(readFileSync(join(out, name)).equals(readFileSync(join(embeddedDir(), name))), `${name} differs`);
      }
    }
    const committed = JSON.parse(readFileSync(join(embeddedDir(), 'fashion-mnist-lt.json'), 'utf8'));
    const rebuilt = JSON.parse(readFileSync(join(out, 'fashion-mnist-lt.json'), 'utf8'));
    assert.deepEqual(rebuilt.train, committed.train);
    assert.deepEqual(rebuilt.test, committed.test);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
