/**
 * Parity with PIL 9.4 / torchvision 0.14: every case of the reference
 * (`test/fixtures/reference/augment-pil.json`, produced by the libraries themselves) is recomputed
 * here. Pixel-exact ops must match every byte; resampling ops (affine, rotate, resized crop) must
 * stay within a mean absolute error of 1 level. The per-op mean and max errors are printed as test
 * diagnostics (docs/augmentations.md quotes them).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadReference } from '../../../test/support/reference';
import type { Image } from '../image';
import { adjustBrightness, adjustContrast, adjustSaturation, grayscale } from './enhance';
import { horizontalFlip } from './geometry';
import { adjustHue } from './hue';
import './builtin-ops';
import { Rng } from '../../random/rng';
import { findAugmentationOp } from './op-registry';
import { RAND_AUGMENT_OPS, RAND_AUGMENT_RANGES, randAugmentValue, type RandAugmentOpName } from './rand-augment-ops';
import { resizedCrop } from './resize';

interface ReferenceCase {
  readonly op: string;
  readonly input: number;
  readonly out: string;
  readonly magnitude?: number;
  readonly value?: number;
  readonly sign?: 1 | -1;
  readonly cx?: number;
  readonly cy?: number;
  readonly top?: number;
  readonly left?: number;
  readonly height?: number;
  readonly width?: number;
  readonly size?: number;
  readonly factor?: number;
}

interface AugmentReference {
  readonly ranges: Record<string, [number, number]>;
  readonly inputs: readonly { readonly id: number; readonly shape: [number, number, number]; readonly data: string }[];
  readonly cases: readonly ReferenceCase[];
}

const reference = loadReference<AugmentReference>('augment-pil.json');

function decode(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

const inputs: Image[] = reference.inputs.map(({ shape, data }) => ({
  data: decode(data),
  height: shape[0],
  width: shape[1],
  channels: shape[2],
}));

/** Ops that resample geometry: allowed a mean error of 1 level (PIL rounds at a few pixels). */
const RESAMPLING = new Set(['ShearX', 'ShearY', 'TranslateX', 'TranslateY', 'Rotate', 'ResizedCrop']);

const SIMCLR_PIECES: Record<string, (image: Image, c: ReferenceCase) => Image> = {
  ResizedCrop: (image, c) => resizedCrop(image, c.top!, c.left!, c.height!, c.width!, c.size!, c.size!),
  HorizontalFlip: (image) => horizontalFlip(image),
  Grayscale: (image) => grayscale(image, 3),
  AdjustBrightness: (image, c) => adjustBrightness(image, c.factor!),
  AdjustContrast: (image, c) => adjustContrast(image, c.factor!),
  AdjustSaturation: (image, c) => adjustSaturation(image, c.factor!),
  AdjustHue: (image, c) => adjustHue(image, c.factor!),
};

function isRandAugmentOp(op: string): op is RandAugmentOpName {
  return (RAND_AUGMENT_OPS as readonly string[]).includes(op);
}

function run(c: ReferenceCase): Image {
  const image = inputs[c.input];
  if (isRandAugmentOp(c.op)) {
    // Through the registry, as pipelines run it: the op by name, the case's draws fixed as parameters.
    const op = findAugmentationOp(c.op)!;
    const params = op.params.parse({ magnitude: c.magnitude, sign: c.sign ?? 1, center: [c.cx ?? 0, c.cy ?? 0] });
    return op.apply(image, params, new Rng(0));
  }
  const piece = SIMCLR_PIECES[c.op];
  assert.ok(piece, `reference case op ${c.op} has no implementation`);
  return piece(image, c);
}

interface ErrorStats {
  cases: number;
  sumMean: number;
  worstMean: number;
  max: number;
}

const stats = new Map<string, ErrorStats>();

test('the reference ranges are the ones RandAugment uses', () => {
  for (const op of RAND_AUGMENT_OPS) assert.deepEqual([...RAND_AUGMENT_RANGES[op]], reference.ranges[op], op);
  assert.equal(Object.keys(reference.ranges).length, RAND_AUGMENT_OPS.length);
});

test('magnitude maps to the reference value for every RandAugment case', () => {
  for (const c of reference.cases) {
    if (!isRandAugmentOp(c.op)) continue;
    const value = randAugmentValue(c.op, c.magnitude!);
    assert.ok(Math.abs(value - c.value!) <= 1e-12, `${c.op} m=${c.magnitude}: ${value} vs ${c.value}`);
  }
});

const ops = [...new Set(reference.cases.map((c) => c.op))];

for (const op of ops) {
  test(`${op} matches PIL ${RESAMPLING.has(op) ? 'within MAE 1' : 'exactly'}`, (t) => {
    const s: ErrorStats = { cases: 0, sumMean: 0, worstMean: 0, max: 0 };
    for (const c of reference.cases) {
      if (c.op !== op) continue;
      const expected = decode(c.out);
      const got = run(c);
      assert.equal(got.data.length, expected.length, `${op} case on input ${c.input}: output size`);
      let sum = 0;
      let max = 0;
      for (let i = 0; i < expected.length; i++) {
        const d = Math.abs(got.data[i] - expected[i]);
        sum += d;
        if (d > max) max = d;
      }
      const mean = sum / expected.length;
      const where = `${op} ${JSON.stringify({ ...c, out: undefined })}`;
      if (RESAMPLING.has(op)) assert.ok(mean <= 1, `${where}: mean abs error ${mean} > 1`);
      else assert.equal(max, 0, `${where}: max abs error ${max}, expected an exact match`);
      s.cases++;
      s.sumMean += mean;
      s.worstMean = Math.max(s.worstMean, mean);
      s.max = Math.max(s.max, max);
    }
    stats.set(op, s);
    t.diagnostic(`${op}: ${s.cases} cases, mean abs error ${(s.sumMean / s.cases).toFixed(4)}, worst case mean ${s.worstMean.toFixed(4)}, max ${s.max}`);
  });
}

test('every reference case was checked', (t) => {
  let checked = 0;
  for (const s of stats.values()) checked += s.cases;
  assert.equal(checked, reference.cases.length);
  assert.equal(checked, 438);
  // One markdown row per op, as docs/augmentations.md tabulates them.
  t.diagnostic('| op | cases | mean abs error | max abs error |');
  for (const [op, s] of stats) t.diagnostic(`| ${op} | ${s.cases} | ${(s.sumMean / s.cases).toFixed(4)} | ${s.max} |`);
});
