import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCifar10, loadCifar100, parseCifarBinary } from './cifar-binary';
import { DatasetError } from './dataset-error';

/** One record: label bytes, then R plane = r, G plane = g, B plane = b except pixel (y=1, x=2). */
function record(labels: number[], r: number, g: number, b: number): Uint8Array {
  const out = new Uint8Array(labels.length + 3072);
  out.set(labels);
  out.fill(r, labels.length, labels.length + 1024);
  out.fill(g, labels.length + 1024, labels.length + 2048);
  out.fill(b, labels.length + 2048);
  out[labels.length + 2048 + 1 * 32 + 2] = 255; // B at row 1, column 2
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'bcl-cifar-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function expectError(code: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof DatasetError, String(error));
    assert.equal(error.reason, code);
    assert.match(error.message, pattern);
    return true;
  };
}

test('CHW records become HWC images', () => {
  const { pixels, labels } = parseCifarBinary(Buffer.concat([record([3], 10, 20, 30), record([7], 1, 2, 3)]), 'f', {
    labelBytes: 1, labelIndex: 0, numClasses: 10,
  });
  assert.deepEqual([...labels], [3, 7]);
  assert.deepEqual([...pixels.subarray(0, 6)], [10, 20, 30, 10, 20, 30]);
  const hwc = (y: number, x: number, c: number) => (y * 32 + x) * 3 + c;
  assert.equal(pixels[hwc(1, 2, 2)], 255);
  assert.equal(pixels[hwc(1, 2, 0)], 10);
  assert.equal(pixels[hwc(2, 1, 2)], 30);
  assert.deepEqual([...pixels.subarray(3072, 3078)], [1, 2, 3, 1, 2, 3]);
  assert.equal(pixels[3072 + hwc(1, 2, 2)], 255);
});

test('a file that is not whole records names the file and its size', () => {
  const bytes = Buffer.concat([record([1], 0, 0, 0), new Uint8Array(5)]);
  assert.throws(
    () => parseCifarBinary(bytes, 'data_batch_9.bin', { labelBytes: 1, labelIndex: 0, numClasses: 10 }),
    expectError('bad-size', /data_batch_9\.bin: expected a multiple of 3073-byte records, but the file has 3078 bytes \(1 records and 5 bytes over\)/),
  );
});

test('labels out of range name the record', () => {
  const bytes = Buffer.concat([record([1], 0, 0, 0), record([10], 0, 0, 0)]);
  assert.throws(
    () => parseCifarBinary(bytes, 'b.bin', { labelBytes: 1, labelIndex: 0, numClasses: 10 }),
    expectError('bad-label', /record 1 \(offset 3073\) has label 10/),
  );
});

test('loadCifar10 reads five training batches in order, from the parent folder too', async () => {
  const root = join(dir, 'c10');
  const batches = join(root, 'cifar-10-batches-bin');
  mkdirSync(batches, { recursive: true });
  for (let i = 1; i <= 5; i++) writeFileSync(join(batches, `data_batch_${i}.bin`), record([i], i, 0, 0));
  writeFileSync(join(batches, 'test_batch.bin'), Buffer.concat([record([0], 9, 9, 9), record([9], 8, 8, 8)]));
  for (const at of [root, batches]) {
    const train = await loadCifar10({ dir: at, split: 'train' });
    assert.equal(train.size, 5);
    assert.deepEqual(train.imageShape, { height: 32, width: 32, channels: 3 });
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => train.label(i)), [1, 2, 3, 4, 5]);
    assert.equal(train.image(4).data[0], 5);
    assert.deepEqual([...train.classCounts()], [0, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
  }
  const testSplit = await loadCifar10({ dir: root, split: 'test' });
  assert.equal(testSplit.name, 'cifar10-test');
  assert.deepEqual([testSplit.label(0), testSplit.label(1)], [0, 9]);
});

test('loadCifar100 picks the fine or coarse label byte', async () => {
  const root = join(dir, 'cifar-100-binary');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'train.bin'), Buffer.concat([record([4, 77], 0, 0, 0), record([19, 99], 0, 0, 0)]));
  const fine = await loadCifar100({ dir: root, split: 'train' });
  assert.equal(fine.numClasses, 100);
  assert.deepEqual([fine.label(0), fine.label(1)], [77, 99]);
  const coarse = await loadCifar100({ dir, split: 'train', labels: 'coarse' });
  assert.equal(coarse.numClasses, 20);
  assert.deepEqual([coarse.label(0), coarse.label(1)], [4, 19]);
  await assert.rejects(loadCifar100({ dir: root, split: 'test' }), expectError('not-found', /test\.bin missing.*cifar-100-binary\.tar\.gz/));
});
