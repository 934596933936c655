import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c, maskedCrc32c } from './crc32c';

test('crc32c matches the RFC 3720 (iSCSI) test vectors and the standard check value', () => {
  assert.equal(crc32c(Buffer.from('123456789', 'ascii')), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
});

test('the masked crc rotates right by 15 and adds 0xa282ead8 (worked by hand for "123456789")', () => {
  // 0xE3069283 = 1110 0011 0000 0110 1001 0010 1000 0011; rotr 15 = 0x2507C60D; + 0xA282EAD8 = 0xC78AB0E5.
  assert.equal(maskedCrc32c(Buffer.from('123456789', 'ascii')), 0xc78ab0e5);
  // crc32c of nothing is 0, so the mask alone.
  assert.equal(maskedCrc32c(new Uint8Array(0)), 0xa282ead8);
});
