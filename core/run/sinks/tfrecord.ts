import { maskedCrc32c } from './crc32c';

/**
 * One TFRecord: `uint64 length`, `uint32 masked_crc32c(length)`, the data, `uint32
 * masked_crc32c(data)`, all little-endian. TensorBoard event files are a sequence of these, each
 * holding one serialised `Event`.
 */
export function frameTfRecord(data: Uint8Array): Buffer {
  const record = Buffer.alloc(12 + data.length + 4);
  record.writeBigUInt64LE(BigInt(data.length), 0);
  record.writeUInt32LE(maskedCrc32c(record.subarray(0, 8)), 8);
  record.set(data, 12);
  record.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return record;
}
