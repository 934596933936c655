import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DatasetError } from './dataset-error';
import { loadIdxDataset } from './idx-dataset';
import { parseIdxImages, parseIdxLabels, readIdxImages, readIdxLabels } from './idx-reader';
import { encodeIdxImages, encodeIdxLabels } from './idx-writer';

const dir = mkdtempSync(join(tmpdir(), 'bcl-idx-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** 3 images of 2x2 written by hand in IDX layout, independent of the encoder. */
const HAND_IMAGES = Uint8Array.from([
  0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2,
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
]);
const HAND_LABELS = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 3, 2, 0, 1]);

function rejectsWith(code: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof DatasetError, `expected a DatasetError, got ${String(error)}`);
    assert.equal(error.reason, code);
    assert.match(error.message, pattern);
    return true;
  };
}

test('parses hand-written IDX images and labels', () => {
  const images = parseIdxImages(HAND_IMAGES, 'hand');
  assert.deepEqual([images.count, images.height, images.width], [3, 2, 2]);
  assert.deepEqual([...images.pixels], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual([...parseIdxLabels(HAND_LABELS, 'hand')], [2, 0, 1]);
});

test('the encoder reproduces the hand-written bytes', () => {
  assert.deepEqual(encodeIdxImages(HAND_IMAGES.subarray(16), 2, 2), HAND_IMAGES);
  assert.deepEqual(encodeIdxLabels([2, 0, 1]), HAND_LABELS);
});

test('reads gzipped and plain files to the same dataset', async () => {
  const plain = await loadIdxDataset({
    name: 'plain', imagesFile: write('i', HAND_IMAGES), labelsFile: write('l', HAND_LABELS), numClasses: 3,
  });
  const gz = await loadIdxDataset({
    name: 'gz', imagesFile: write('i.gz', gzipSync(HAND_IMAGES)), labelsFile: write('l.gz', gzipSync(HAND_LABELS)), numClasses: 3,
  });
  assert.equal(gz.size, 3);
  assert.deepEqual(gz.imageShape, { height: 2, width: 2, channels: 1 });
  assert.deepEqual([...gz.image(2).data], [9, 10, 11, 12]);
  assert.equal(gz.label(0), 2);
  assert.deepEqual([...gz.classCounts()], [1, 1, 1]);
  assert.equal(gz.fingerprint, plain.fingerprint);
  assert.match(gz.fingerprint, /^[0-9a-f]{64}$/);
});

test('truncated image data names the file, expected bytes, offset and actual size', async () => {
  const file = write('short-images', HAND_IMAGES.subarray(0, 20));
  await assert.rejects(
    readIdxImages(file),
    rejectsWith('truncated', new RegExp(`${file}: expected 12 bytes of image data at offset 16, but the file has 20 bytes`)),
  );
});

test('truncated gzipped file says the size is after gunzip', async () => {
  const file = write('short-images.gz', gzipSync(HAND_IMAGES.subarray(0, 20)));
  await assert.rejects(readIdxImages(file), rejectsWith('truncated', /file has 20 bytes after gunzip/));
});

test('truncated header is reported with its offset', () => {
  assert.throws(
    () => parseIdxImages(HAND_IMAGES.subarray(0, 10), 'h'),
    rejectsWith('truncated', /h: expected 12 bytes of IDX dimensions at offset 4, but the file has 10/),
  );
  assert.throws(() => parseIdxLabels(new Uint8Array(2), 'e'), rejectsWith('truncated', /at offset 0/));
});

test('a cut gzip stream is reported as corrupt, naming the file', async () => {
  const whole = gzipSync(HAND_IMAGES);
  const file = write('cut.gz', whole.subarray(0, whole.length - 6));
  await assert.rejects(readIdxImages(file), rejectsWith('corrupt', /cut\.gz: .*gunzip failed/));
});

test('wrong magic: a label file passed as images', async () => {
  const file = write('swapped', HAND_LABELS);
  await assert.rejects(
    readIdxImages(file),
    rejectsWith('bad-magic', /expected IDX images magic 0x00000803 at offset 0, but got 0x00000801.*IDX labels file/),
  );
  assert.throws(() => parseIdxLabels(Uint8Array.from([1, 2, 3, 4, 0, 0, 0, 0]), 'x'), rejectsWith('bad-magic', /0x01020304/));
});

test('trailing bytes after the data are rejected', () => {
  const long = new Uint8Array(HAND_LABELS.length + 1);
  long.set(HAND_LABELS);
  assert.throws(() => parseIdxLabels(long, 'long'), rejectsWith('bad-size', /file has 12 bytes/));
});

test('label count different from image count names the label file', async () => {
  const imagesFile = write('ok-images', HAND_IMAGES);
  const labelsFile = write('two-labels', encodeIdxLabels([0, 1]));
  await assert.rejects(
    loadIdxDataset({ name: 'x', imagesFile, labelsFile, numClasses: 2 }),
    rejectsWith('count-mismatch', /two-labels: expected 3 labels .*but the label file has 2/),
  );
});

test('labels outside numClasses are rejected with the record', async () => {
  await assert.rejects(
    loadIdxDataset({ name: 'x', imagesFile: write('i3', HAND_IMAGES), labelsFile: write('l3', HAND_LABELS), numClasses: 2 }),
    rejectsWith('bad-label', /record 0 has label 2/),
  );
});

test('a missing file is reason not-found', async () => {
  await assert.rejects(readIdxLabels(join(dir, 'nope')), rejectsWith('not-found', /nope: file does not exist/));
});
