import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufWriter } from './protobuf-writer';

const hex = (b: Buffer): string => b.toString('hex');

test('fields encode as the protobuf encoding guide shows them', () => {
  // The guide's examples: field 1 = 150 is 08 96 01; field 2 = "testing" is 12 07 74 65 73 74 69 6e 67.
  assert.equal(hex(new ProtobufWriter().int64(1, 150).finish()), '089601');
  assert.equal(hex(new ProtobufWriter().string(2, 'testing').finish()), '120774657374696e67');
  // 300 = 0b10_0101100: ac 02.
  assert.equal(hex(new ProtobufWriter().int64(2, 300).finish()), '10ac02');
  // Past 2^31 the varint must not wrap: 2^35 = 0x8_0000_0000 → 80 80 80 80 80 01.
  assert.equal(hex(new ProtobufWriter().int64(2, 2 ** 35).finish()), '108080808080' + '01');
  // double 1.0 (key 09) and float 1.0 (key 15), little-endian IEEE 754.
  assert.equal(hex(new ProtobufWriter().double(1, 1).finish()), '09000000000000f03f');
  assert.equal(hex(new ProtobufWriter().float(2, 1).finish()), '150000803f');
  // An embedded message: key 2a (field 5, wire type 2), length, bytes.
  assert.equal(hex(new ProtobufWriter().bytes(5, new ProtobufWriter().int64(1, 150).finish()).finish()), '2a03089601');
});

test('int64 refuses values the writer cannot encode exactly', () => {
  assert.throws(() => new ProtobufWriter().int64(2, -1), /non-negative safe integer, but got -1/);
  assert.throws(() => new ProtobufWriter().int64(2, 0.5), /but got 0.5/);
});
