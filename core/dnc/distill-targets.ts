import * as fs from 'node:fs';
import { writeFileAtomic } from '../checkpoint/atomic-write';
import { BclError } from '../errors';

/** First bytes of a targets file. */
const MAGIC = 'BCLDNCT1';

/** What a targets file describes (its JSON header). */
export interface DistillTargetsHeader {
  /** Number of teachers T (DnC: the base model, then the K experts). */
  readonly teachers: number;
  /** Training samples N (the distillation run's dataset size). */
  readonly size: number;
  /** Target width D. */
  readonly dim: number;
  /** Fingerprint of the dataset the targets were computed on; the distillation run checks it. */
  readonly datasetFingerprint: string;
  /** The teachers' checkpoints, in teacher order (provenance, and how `bcl dnc` knows they are current). */
  readonly sources: readonly string[];
}

/** A targets file read back: `values` is row-major `[teachers, size, dim]`, L2-normalised rows. */
export interface DistillTargets extends DistillTargetsHeader {
  readonly values: Float32Array;
}

/**
 * Writes every teacher's embedding of every training sample (`[T, N, D]` float32) as
 * `BCLDNCT1`, a uint32 LE header length, the JSON header padded to 4 bytes, then the values.
 * Atomic: a crash leaves the old file or none.
 */
export function writeDistillTargets(file: string, targets: DistillTargets): void {
  const { values, ...header } = targets;
  if (values.length !== header.teachers * header.size * header.dim) throw new RangeError(`expected ${header.teachers} x ${header.size} x ${header.dim} values, but got ${values.length}`);
  let json = JSON.stringify(header);
  json += ' '.repeat((4 - ((MAGIC.length + 4 + Buffer.byteLength(json)) % 4)) % 4);
  const head = Buffer.alloc(MAGIC.length + 4);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(Buffer.byteLength(json), MAGIC.length);
  writeFileAtomic(file, Buffer.concat([head, Buffer.from(json), Buffer.from(values.buffer, values.byteOffset, values.byteLength)]));
}

/** Reads a targets file (header only when `headerOnly`); every defect is CHECKPOINT_INVALID naming the file. */
export function readDistillTargets(file: string, headerOnly: true): DistillTargetsHeader;
export function readDistillTargets(file: string, headerOnly?: false): DistillTargets;
export function readDistillTargets(file: string, headerOnly = false): DistillTargetsHeader | DistillTargets {
  const fail = (why: string): never => {
    throw new BclError('CHECKPOINT_INVALID', `DnC targets file ${file} ${why}.`, { hint: 'Run bcl dnc again: it rebuilds the targets from the base and expert runs.' });
  };
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    return fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (bytes.length < MAGIC.length + 4 || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) fail(`does not start with ${MAGIC}`);
  const length = bytes.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  let header: DistillTargetsHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', start, start + length)) as DistillTargetsHeader;
  } catch {
    return fail('has a corrupt header');
  }
  const { teachers, size, dim } = header;
  if (![teachers, size, dim].every((n) => Number.isInteger(n) && n > 0)) fail(`has a header without positive teachers, size and dim (${JSON.stringify({ teachers, size, dim })})`);
  const dataStart = start + length;
  const expected = teachers * size * dim * 4;
  if (bytes.length - dataStart !== expected) fail(`should hold ${teachers} x ${size} x ${dim} float32 values (${expected} bytes) after its header, but holds ${bytes.length - dataStart} bytes`);
  if (headerOnly) return header;
  // A copy, so the values are 4-byte aligned whatever the Buffer's offset in its pool.
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset + dataStart, bytes.byteOffset + dataStart + expected));
  return { ...header, values };
}
