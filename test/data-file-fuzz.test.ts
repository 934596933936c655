/**
 * A seeded data-file fuzzer (issue 15): valid IDX, CIFAR, .npy, image-list and PNG/JPEG files are
 * truncated, bit-flipped, given a wrong magic or a huge header, and parsed. Property: every case
 * parses, or fails with DATASET_CORRUPT / DATASET_MISSING naming the file; never another exception
 * and never an allocation beyond what the file itself holds (the RSS bound below).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { isBclError, Rng } from '../core/index';
import { parseCifarBinary } from '../core/data/datasets/cifar-binary';
import { loadImageList, parseImageList } from '../core/data/datasets/image-list';
import { parseIdxImages, parseIdxLabels } from '../core/data/datasets/idx-reader';
import { encodeIdxImages, encodeIdxLabels } from '../core/data/datasets/idx-writer';
import { parseNpyIndices } from '../core/data/datasets/npy-reader';

const rng = new Rng(1515);

function npy(values: number[]): Uint8Array {
  const header = `{'descr': '<i8', 'fortran_order': False, 'shape': (${values.length},), }`;
  const padded = header + ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const out = new Uint8Array(10 + padded.length + 8 * values.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length & 0xff, padded.length >> 8]);
  out.set(Buffer.from(padded, 'latin1'), 10);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setBigInt64(10 + padded.length + 8 * i, BigInt(v), true));
  return out;
}

/** Mutations of one valid file: truncations, bit flips, a wrong magic, huge header fields. */
function mutations(valid: Uint8Array, headerBytes: number): Uint8Array[] {
  const out: Uint8Array[] = [new Uint8Array(0)];
  for (let i = 0; i < 12; i++) out.push(valid.subarray(0, rng.int(valid.length)));
  for (let i = 0; i < 24; i++) {
    const copy = valid.slice();
    const at = i < 12 ? rng.int(Math.min(headerBytes, copy.length)) : rng.int(copy.length);
    copy[at] ^= 1 << rng.int(8);
    out.push(copy);
  }
  const magic = valid.slice();
  magic[0] ^= 0xff;
  magic[3] ^= 0xff;
  out.push(magic);
  for (let i = 0; i < 8; i++) {
    const huge = valid.slice();
    for (let b = 0; b < Math.min(headerBytes, huge.length); b++) if (rng.next() < 0.4) huge[b] = 0xff;
    out.push(huge);
  }
  return out;
}

function expectNamedOrOk(kind: string, run: () => unknown, counts: Record<string, number>, failures: string[]): void {
  counts.cases++;
  try {
    run();
    counts.parsed++;
  } catch (error) {
    if (isBclError(error) && (error.code === 'DATASET_CORRUPT' || error.code === 'DATASET_MISSING') && error.message.includes('fuzz')) counts.named++;
    else failures.push(`${kind}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`.slice(0, 200));
  }
}

test('data-file fuzzer: IDX, CIFAR, .npy and image-list bytes either parse or fail with a named dataset error', () => {
  const counts = { cases: 0, parsed: 0, named: 0 };
  const failures: string[] = [];
  const rssBefore = process.memoryUsage().rss;
  // The unmutated files are valid, so the mutations start from something the parsers accept.
  assert.deepEqual([...parseNpyIndices(npy([3, 1, 4, 1, 5]), 'valid.npy')], [3, 1, 4, 1, 5]);
  const pixels = Uint8Array.from({ length: 4 * 6 * 6 }, (_, i) => i * 7);
  for (const bytes of mutations(encodeIdxImages(pixels, 6, 6), 16)) expectNamedOrOk('idx images', () => parseIdxImages(bytes, 'fuzz-images.idx'), counts, failures);
  for (const bytes of mutations(encodeIdxLabels([1, 2, 3, 4]), 8)) expectNamedOrOk('idx labels', () => parseIdxLabels(bytes, 'fuzz-labels.idx'), counts, failures);
  const cifar = new Uint8Array(3 * 3074).map((_, i) => (i % 3074 < 2 ? i % 10 : i));
  for (const bytes of mutations(cifar, 2)) expectNamedOrOk('cifar', () => parseCifarBinary(bytes, 'fuzz.bin', { labelBytes: 2, labelIndex: 1, numClasses: 100 }), counts, failures);
  for (const bytes of mutations(npy([3, 1, 4, 1, 5]), 128)) expectNamedOrOk('npy', () => parseNpyIndices(bytes, 'fuzz.npy'), counts, failures);
  const list = Buffer.from('a/b.png 0\nc d.png 12\n# comment\n\ne.jpg 3\n');
  for (const bytes of mutations(list, list.length)) expectNamedOrOk('image list', () => parseImageList(Buffer.from(bytes).toString('utf8'), 'fuzz-list.txt'), counts, failures);
  const grown = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
  console.log(`data-file fuzzer: ${counts.cases} cases, ${counts.parsed} parsed, ${counts.named} named errors, ${failures.length} other; RSS +${grown.toFixed(1)} MiB`);
  assert.deepEqual(failures.slice(0, 5), [], `${failures.length} cases ended in an unnamed error`);
  assert.ok(grown < 256, `a huge header must not allocate what the file does not hold (RSS grew ${grown.toFixed(0)} MiB)`);
});

test('data-file fuzzer: truncated and bit-flipped PNG / JPEG images in a list fail with DATASET_CORRUPT naming the image', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-fuzz-images-'));
  const raw = { raw: { width: 8, height: 8, channels: 3 as const } };
  const data = Buffer.from(Uint8Array.from({ length: 192 }, (_, i) => i));
  const valid = { png: await sharp(data, raw).png().toBuffer(), jpg: await sharp(data, raw).jpeg().toBuffer() };
  const counts = { cases: 0, parsed: 0, named: 0 };
  const failures: string[] = [];
  for (const [ext, bytes] of Object.entries(valid)) {
    for (const [n, mutated] of mutations(new Uint8Array(bytes), 32).slice(0, 24).entries()) {
      const file = `fuzz-${ext}-${n}.${ext}`;
      fs.writeFileSync(path.join(root, file), mutated);
      fs.writeFileSync(path.join(root, 'list.txt'), `${file} 0\n`);
      counts.cases++;
      try {
        await loadImageList({ listFile: path.join(root, 'list.txt'), root, size: 8 });
        counts.parsed++;
      } catch (error) {
        if (isBclError(error) && error.code === 'DATASET_CORRUPT' && error.message.includes(file)) counts.named++;
        else failures.push(`${file}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`.slice(0, 200));
      }
    }
  }
  console.log(`image fuzzer: ${counts.cases} cases, ${counts.parsed} decoded, ${counts.named} named errors, ${failures.length} other`);
  fs.rmSync(root, { recursive: true, force: true });
  assert.deepEqual(failures.slice(0, 5), []);
});
