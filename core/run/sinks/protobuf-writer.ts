/**
 * The few protobuf wire-format encodings TensorBoard's `Event` needs (varint, 64-bit double,
 * 32-bit float, length-delimited), written by hand: three small messages do not justify a
 * protobuf library (docs/dependencies.md). Fields are appended in the order they are written.
 */
export class ProtobufWriter {
  private readonly chunks: Buffer[] = [];

  /** A `double` field (wire type 1, little-endian IEEE 754). */
  double(field: number, value: number): this {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(value);
    return this.key(field, 1).push(bytes);
  }

  /** A `float` field (wire type 5): the value is rounded to float32, as the receiver stores it. */
  float(field: number, value: number): this {
    const bytes = Buffer.alloc(4);
    bytes.writeFloatLE(value);
    return this.key(field, 5).push(bytes);
  }

  /** An `int64` field (wire type 0); only non-negative safe integers (steps) are needed. */
  int64(field: number, value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`protobuf int64 field ${field}: expected a non-negative safe integer, but got ${value}`);
    return this.key(field, 0).push(varint(value));
  }

  /** A `string` field (wire type 2, UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  /** An embedded message or `bytes` field (wire type 2). */
  bytes(field: number, value: Uint8Array): this {
    return this.key(field, 2).push(varint(value.length)).push(Buffer.from(value));
  }

  /** The encoded message. */
  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }

  private key(field: number, wireType: number): this {
    return this.push(varint(field * 8 + wireType));
  }

  private push(bytes: Buffer): this {
    this.chunks.push(bytes);
    return this;
  }
}

/** Base-128 varint of a non-negative safe integer (arithmetic, not bit operations: values may exceed 2^31). */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
