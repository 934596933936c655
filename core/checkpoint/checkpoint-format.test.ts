import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-format';

const arrays = [
  { name: 'var:a', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
  { name: 'plugin:bcl/scores', shape: [3], data: new Float64Array([0.25, 0.5, 1]) },
  { name: 'ints', shape: [1], data: new Int32Array([-7]) },
];

test('a checkpoint round-trips metadata and arrays of every dtype', () => {
  const file = encodeCheckpoint({ epoch: 3, note: 'x' }, arrays);
  const decoded = decodeCheckpoint<{ epoch: number; note: string }>(file, 'mem');
  assert.deepEqual(decoded.meta, { epoch: 3, note: 'x' });
  for (const a of arrays) {
    const got = decoded.arrays.get(a.name)!;
    assert.deepEqual(got.shape, a.shape);
    assert.equal(got.data.constructor, a.data.constructor);
    assert.deepEqual(Array.from(got.data), Array.from(a.data));
  }
});

test('a truncated checkpoint is reported with both sizes', () => {
  const file = encodeCheckpoint({}, arrays);
  assert.throws(() => decodeCheckpoint(file.subarray(0, file.length - 10), 'ck'), (e: Error) => {
    assert.match(e.message, new RegExp(`truncated: header says ${file.length} bytes, file has ${file.length - 10}`));
    assert.equal((e as { code?: string }).code, 'CHECKPOINT_INVALID');
    return true;
  });
});

test('a flipped byte fails the checksum; a newer format version is refused by number', () => {
  const file = encodeCheckpoint({}, arrays);
  const flipped = Buffer.from(file);
  flipped[flipped.length - 40] ^= 0xff;
  assert.throws(() => decodeCheckpoint(flipped, 'ck'), /checksum mismatch/);
  const newer = Buffer.from(file);
  newer.writeUInt32LE(99, 8);
  assert.throws(() => decodeCheckpoint(newer, 'ck'), /unsupported format v99/);
  assert.throws(() => decodeCheckpoint(Buffer.from('hello world, not a checkpoint'), 'ck'), /not a bcl checkpoint/);
});

test('non-finite weights are refused, naming the tensor', () => {
  assert.throws(
    () => encodeCheckpoint({}, [{ name: 'var:simclr/backbone/conv1/kernel', shape: [2], data: new Float32Array([1, NaN]) }]),
    /tensor "var:simclr\/backbone\/conv1\/kernel" has a non-finite value \(NaN\) at element 1/,
  );
});

test('truncation anywhere is caught: 0 bytes, inside the header, mid-weights, one byte short (+ a flipped byte)', () => {
  const file = encodeCheckpoint({ epoch: 1, recipe: { name: 'x'.repeat(200) } }, arrays);
  const headerLength = file.readUInt32LE(12);
  const cuts = {
    'zero bytes': 0,
    'inside the preamble': 12,
    'inside the header': 24 + Math.floor(headerLength / 2),
    'mid-weights': 24 + headerLength + 12,
    'one byte short': file.length - 1,
  };
  for (const [where, length] of Object.entries(cuts)) {
    assert.throws(() => decodeCheckpoint(file.subarray(0, length), 'ck'), (e: Error & { code?: string }) => e.code === 'CHECKPOINT_INVALID', where);
  }
  const shortAndFlipped = Buffer.from(file.subarray(0, file.length - 1));
  shortAndFlipped[40] ^= 0x01;
  assert.throws(() => decodeCheckpoint(shortAndFlipped, 'ck'), /truncated: header says \d+ bytes, file has \d+/);
  // Same length, one flipped bit in the weights: the checksum catches it.
  const bitFlip = Buffer.from(file);
  bitFlip[24 + headerLength + 20] ^= 0x10;
  assert.throws(() => decodeCheckpoint(bitFlip, 'ck'), /checksum mismatch/);
});
