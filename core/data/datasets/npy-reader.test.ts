import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from './dataset-error';
import { parseNpyIndices, readNpyIndices } from './npy-reader';

// Written by numpy 2.4: np.save(f, np.array([5, 0, 3], dtype='<i8')) and ([7, 2**31 - 1], '<i4').
const NUMPY_I8 = Buffer.from(
  'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoFAAAAAAAAAAAAAAAAAAAAAwAAAAAAAAA=',
  'base64',
);
const NUMPY_I4 = Buffer.from(
  'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoHAAAA////fw==',
  'base64',
);

/** A version-1 npy file with the given header fields, laid out as numpy does (padded to 64). */
function npy(descr: string, shape: string, data: Uint8Array): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  return Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]), Buffer.from(header, 'latin1'), data]);
}

const dir = mkdtempSync(join(tmpdir(), 'bcl-npy-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function expectError(code: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof DatasetError, String(error));
    assert.equal(error.reason, code);
    assert.match(error.message, pattern);
    return true;
  };
}

test('reads numpy-written int64 and int32 index files', async () => {
  const file = join(dir, 'i8.npy');
  writeFileSync(file, NUMPY_I8);
  assert.deepEqual([...(await readNpyIndices(file))], [5, 0, 3]);
  assert.deepEqual([...parseNpyIndices(NUMPY_I4, 'i4.npy')], [7, 2147483647]);
});

test('the fixture builder matches numpy byte for byte', () => {
  const data = Buffer.alloc(24);
  [5, 0, 3].forEach((v, i) => data.writeBigInt64LE(BigInt(v), i * 8));
  assert.deepEqual(Buffer.from(npy('<i8', '(3,)', data)), NUMPY_I8);
});

test('a wrong dtype names the file and the dtype', async () => {
  const file = join(dir, 'floats.npy');
  writeFileSync(file, npy('<f4', '(1,)', new Uint8Array(4)));
  await assert.rejects(readNpyIndices(file), expectError('bad-dtype', /floats\.npy: expected dtype int64 .*but got '<f4'/));
  assert.throws(() => parseNpyIndices(npy('>i8', '(1,)', new Uint8Array(8)), 'be.npy'), expectError('bad-dtype', /'>i8'/));
});

test('a truncated data section gives expected bytes, offset and file size', () => {
  const cut = NUMPY_I8.subarray(0, NUMPY_I8.length - 5);
  assert.throws(
    () => parseNpyIndices(cut, 'cut.npy'),
    expectError('truncated', /cut\.npy: expected 24 bytes of <i8 data at offset 128, but the file has 147 bytes/),
  );
  assert.throws(() => parseNpyIndices(NUMPY_I8.subarray(0, 60), 'h.npy'), expectError('truncated', /of npy header at offset 10/));
});

test('extra bytes, 2-D shapes and bad magic are rejected', () => {
  assert.throws(() => parseNpyIndices(Buffer.concat([NUMPY_I4, Buffer.alloc(1)]), 'x.npy'), expectError('bad-size', /137 bytes/));
  assert.throws(() => parseNpyIndices(npy('<i8', '(1, 2)', new Uint8Array(16)), 'm.npy'), expectError('corrupt', /1-D/));
  assert.throws(() => parseNpyIndices(Buffer.from('PK\x03\x04 not npy'), 'z.npy'), expectError('bad-magic', /0x50 0x4b/));
});

test('int64 values beyond int32 are refused, not wrapped', () => {
  const data = Buffer.alloc(8);
  data.writeBigInt64LE(2n ** 31n);
  assert.throws(() => parseNpyIndices(npy('<i8', '(1,)', data), 'big.npy'), expectError('index-out-of-range', /element 0 is 2147483648/));
});

test('an empty index array is fine', () => {
  assert.equal(parseNpyIndices(npy('<i4', '(0,)', new Uint8Array(0)), 'e.npy').length, 0);
});
