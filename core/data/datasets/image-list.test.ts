import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { isBclError } from '../../errors';
import { DatasetSchema } from '../../recipes/recipe-schema';
import { loadDataset } from '../load-dataset';
import { loadImageList, parseImageList } from './image-list';

/** A deterministic RGB pattern: pixel (y, x) channel c = (17y + 29x + 71c + seed) mod 256. */
function pattern(height: number, width: number, seed: number): Uint8Array {
  const data = new Uint8Array(height * width * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = (17 * y + 29 * x + 71 * c + seed) % 256;
  return data;
}

async function writeImage(file: string, data: Uint8Array, height: number, width: number, channels: 1 | 3 | 4, format: 'png' | 'jpeg'): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const image = sharp(Buffer.from(data), { raw: { width, height, channels } });
  await (format === 'png' ? image.png() : image.jpeg({ quality: 100, chromaSubsampling: '4:4:4' })).toFile(file);
}

/** A root with ImageNet-LT-like folders and a list file; returns the root and list path. */
const roots: string[] = [];
after(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

async function fixture(lines: string[], images: Record<string, (root: string) => Promise<void>>): Promise<{ root: string; list: string }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-image-list-'));
  roots.push(root);
  for (const write of Object.values(images)) await write(root);
  const list = path.join(root, 'train.txt');
  fs.writeFileSync(list, lines.join('\n') + '\n');
  return { root, list };
}

test('parseImageList reads "path label" lines, keeps spaces in paths, skips blanks and comments, names bad lines', () => {
  assert.deepEqual(parseImageList('# header\ntrain/n01/a.JPEG 0\n\nplaces/a b.jpg  12\r\n', 'l.txt'), [
    { path: 'train/n01/a.JPEG', label: 0, line: 2 },
    { path: 'places/a b.jpg', label: 12, line: 4 },
  ]);
  assert.throws(() => parseImageList('a.jpg 0\nb.jpg x\n', 'l.txt'), (e: unknown) => isBclError(e) && e.code === 'DATASET_CORRUPT' && /^l\.txt: line 2: expected/.test(e.message));
  assert.throws(() => parseImageList('a.jpg -1\n', 'l.txt'), /line 1/);
  assert.throws(() => parseImageList('\n# only a comment\n', 'l.txt'), /list is empty/);
});

test('list paths that leave the image root are refused, naming the line', () => {
  for (const bad of ['../secret.png', '/etc/passwd', 'a/../../b.png']) {
    assert.throws(() => parseImageList(`ok.png 0\n${bad} 1\n`, 'l.txt'), (e: unknown) => isBclError(e) && e.code === 'DATASET_CORRUPT' && /^l\.txt: line 2: the path .* leaves the image root/.test(e.message), bad);
  }
  assert.equal(parseImageList('a/../b.png 0\n', 'l.txt')[0].path, 'a/../b.png', 'a path that stays inside is fine');
});

test('one stray huge label is an error naming the file and line, before any image is decoded', async () => {
  const lines = Array.from({ length: 20 }, (_, i) => `img${i}.png ${i % 3}`);
  lines[13] = 'img13.png 99999999';
  const { root, list } = await fixture(lines, {}); // no images: the label check must come first
  await assert.rejects(loadImageList({ listFile: list, root }), (e: unknown) => isBclError(e) && e.code === 'DATASET_CORRUPT' && /train\.txt: line 14: label 99999999 would imply 100000000 classes/.test(e.message));
});

test('PNG and JPEG images load in list order with their labels; PNG pixels are exact, grey and RGBA become RGB', async () => {
  const a = pattern(6, 5, 0);
  const b = pattern(6, 5, 100);
  const grey = Uint8Array.from({ length: 30 }, (_, i) => i * 8);
  const rgba = new Uint8Array(6 * 5 * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 7) % 256));
  const { root, list } = await fixture(['train/c0/a.png 0', 'train/c1/b.png 1', 'train/c1/g.png 1', 'train/c2/rgba.png 2', 'train/c0/j.jpg 0'], {
    a: (r) => writeImage(path.join(r, 'train/c0/a.png'), a, 6, 5, 3, 'png'),
    b: (r) => writeImage(path.join(r, 'train/c1/b.png'), b, 6, 5, 3, 'png'),
    g: (r) => writeImage(path.join(r, 'train/c1/g.png'), grey, 6, 5, 1, 'png'),
    rgba: (r) => writeImage(path.join(r, 'train/c2/rgba.png'), rgba, 6, 5, 4, 'png'),
    j: (r) => writeImage(path.join(r, 'train/c0/j.jpg'), a, 6, 5, 3, 'jpeg'),
  });
  const dataset = await loadImageList({ listFile: list, root, concurrency: 3 });
  assert.equal(dataset.size, 5);
  assert.deepEqual(dataset.imageShape, { height: 6, width: 5, channels: 3 });
  assert.equal(dataset.numClasses, 3);
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => dataset.label(i)), [0, 1, 1, 2, 0]);
  assert.deepEqual(Array.from(dataset.classCounts()), [2, 2, 1]);
  assert.deepEqual(dataset.image(0).data, a);
  assert.deepEqual(dataset.image(1).data, b);
  assert.deepEqual(dataset.image(2).data, Uint8Array.from(Array.from(grey).flatMap((v) => [v, v, v])));
  assert.deepEqual(dataset.image(3).data, Uint8Array.from({ length: 30 * 3 }, (_, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)]));
  // JPEG at quality 100, no chroma subsampling: lossy, but within a few levels of the source.
  const jpeg = dataset.image(4).data;
  const worst = Math.max(...Array.from(jpeg, (v, i) => Math.abs(v - a[i])));
  assert.ok(worst <= 8, `JPEG differs from its source by up to ${worst} levels`);
  assert.equal(dataset.name, 'train');
  assert.match(dataset.fingerprint, /^[0-9a-f]{64}$/);
});

test('size resizes on load: fill stretches, cover crops the centre; channels 1 gives luma', async () => {
  // Left half red, right half blue, 8 high and 16 wide.
  const split = new Uint8Array(8 * 16 * 3).map((_, i) => {
    const x = Math.floor(i / 3) % 16;
    const c = i % 3;
    return x < 8 ? (c === 0 ? 255 : 0) : c === 2 ? 255 : 0;
  });
  const { root, list } = await fixture(['s.png 0', 'big.png 1'], {
    s: (r) => writeImage(path.join(r, 's.png'), split, 8, 16, 3, 'png'),
    big: (r) => writeImage(path.join(r, 'big.png'), new Uint8Array(20 * 30 * 3).fill(90), 20, 30, 3, 'png'),
  });
  const fill = await loadImageList({ listFile: list, root, size: 4, fit: 'fill' });
  assert.deepEqual(fill.imageShape, { height: 4, width: 4, channels: 3 });
  // Stretched to 4x4, columns 0 and 3 stay pure red and pure blue.
  assert.deepEqual(Array.from(fill.image(0).data.subarray(0, 3)), [255, 0, 0]);
  assert.deepEqual(Array.from(fill.image(0).data.subarray(9, 12)), [0, 0, 255]);
  assert.ok(fill.image(1).data.every((v) => v === 90));
  const cover = await loadImageList({ listFile: list, root, size: [4, 2] });
  // Cover scales 8x16 to 4x8 and keeps the centre 2 columns: one red, one blue.
  assert.deepEqual(cover.imageShape, { height: 4, width: 2, channels: 3 });
  const row = Array.from(cover.image(0).data.subarray(0, 6));
  assert.ok(row[0] > 128 && row[2] < 128 && row[3] < 128 && row[5] > 128, `centre crop: ${row}`);
  const grey = await loadImageList({ listFile: list, root, size: 4, channels: 1 });
  assert.equal(grey.imageShape.channels, 1);
  assert.ok(grey.image(1).data.every((v) => v === 90));
});

test('an undecodable or truncated JPEG, a missing image, a size mismatch and a missing list are errors naming the file', async () => {
  const { root, list } = await fixture(['ok.png 0', 'bad.jpg 1'], {
    ok: (r) => writeImage(path.join(r, 'ok.png'), pattern(4, 4, 1), 4, 4, 3, 'png'),
    bad: async (r) => fs.writeFileSync(path.join(r, 'bad.jpg'), Buffer.from('this is not a jpeg at all')),
  });
  await assert.rejects(loadImageList({ listFile: list, root }), (e: unknown) => {
    assert.ok(isBclError(e));
    assert.equal(e.code, 'DATASET_CORRUPT');
    assert.ok(e.message.startsWith(`${path.join(root, 'bad.jpg')}: could not decode the image`), e.message);
    assert.match(e.message, /Hint: /);
    return true;
  });

  // A real JPEG cut in half.
  await writeImage(path.join(root, 'whole.jpg'), pattern(32, 32, 3), 32, 32, 3, 'jpeg');
  const whole = fs.readFileSync(path.join(root, 'whole.jpg'));
  fs.writeFileSync(path.join(root, 'cut.jpg'), whole.subarray(0, Math.floor(whole.length / 2)));
  fs.writeFileSync(list, 'cut.jpg 0\n');
  await assert.rejects(loadImageList({ listFile: list, root }), (e: unknown) => isBclError(e) && e.code === 'DATASET_CORRUPT' && e.message.includes('cut.jpg: could not decode'));

  fs.writeFileSync(list, 'ok.png 0\nnowhere/x.jpg 1\n');
  await assert.rejects(loadImageList({ listFile: list, root }), (e: unknown) => isBclError(e) && e.code === 'DATASET_MISSING' && e.message.startsWith(path.join(root, 'nowhere/x.jpg')));

  fs.writeFileSync(list, 'ok.png 0\nwhole.jpg 1\n');
  await assert.rejects(loadImageList({ listFile: list, root, concurrency: 1 }), (e: unknown) => isBclError(e) && /expected a 4x4 image like .*ok\.png, but got 32x32/.test(e.message) && /Hint: set the dataset size/.test(e.message));
  const resized = await loadImageList({ listFile: list, root, size: 4 });
  assert.equal(resized.size, 2);

  await assert.rejects(loadImageList({ listFile: path.join(root, 'absent.txt'), root }), (e: unknown) => isBclError(e) && e.code === 'DATASET_MISSING' && e.message.includes('absent.txt'));
});

test('recipe dataset type image-list loads through loadDataset; the test split needs testListFile', async () => {
  const { root, list } = await fixture(['a.png 0', 'b.png 1'], {
    a: (r) => writeImage(path.join(r, 'a.png'), pattern(3, 3, 0), 3, 3, 3, 'png'),
    b: (r) => writeImage(path.join(r, 'b.png'), pattern(5, 5, 9), 5, 5, 3, 'png'),
  });
  const spec = DatasetSchema.parse({ type: 'image-list', listFile: list, root, size: 3 });
  const train = await loadDataset(spec, 0, 'train');
  assert.deepEqual(train.imageShape, { height: 3, width: 3, channels: 3 });
  assert.deepEqual(train.image(0).data, pattern(3, 3, 0));
  await assert.rejects(loadDataset(spec, 0, 'test'), /testListFile is needed/);
  const withTest = DatasetSchema.parse({ type: 'image-list', listFile: list, root, size: 3, testListFile: list });
  assert.equal((await loadDataset(withTest, 0, 'test')).size, 2);
  assert.equal(DatasetSchema.safeParse({ type: 'image-list', listFile: list, root, size: 0 }).success, false);
});
