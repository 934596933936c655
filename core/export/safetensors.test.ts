import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeSafetensors } from './safetensors';

test('the safetensors layout: u64 header length, space-padded JSON header, 8-byte tensors first, contiguous offsets', () => {
  const f32 = { name: 'w', dtype: 'F32' as const, shape: [2], data: new Uint8Array(new Float32Array([1, -2]).buffer) };
  const i64 = { name: 'n', dtype: 'I64' as const, shape: [], data: new Uint8Array([7, 0, 0, 0, 0, 0, 0, 0]) };
  const file = encodeSafetensors([f32, i64], { format: 'pt' });
  const headerLength = Number(file.readBigUInt64LE(0));
  assert.equal(headerLength % 8, 0);
  const json = file.subarray(8, 8 + headerLength).toString('utf8');
  assert.equal(json, '{"__metadata__":{"format":"pt"},"n":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}'.padEnd(headerLength, ' '));
  const body = file.subarray(8 + headerLength);
  assert.equal(body.length, 16);
  assert.equal(body.readBigInt64LE(0), 7n);
  assert.deepEqual([body.readFloatLE(8), body.readFloatLE(12)], [1, -2]);
});

test('encodeSafetensors refuses a byte count that does not fit the shape, and a repeated name', () => {
  assert.throws(() => encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [3], data: new Uint8Array(8) }]), /tensor "w" \[3\] F32 needs 12 bytes, but got 8/);
  const t = { name: 'w', dtype: 'F32' as const, shape: [1], data: new Uint8Array(4) };
  assert.throws(() => encodeSafetensors([t, t]), /tensor "w" appears twice/);
});
