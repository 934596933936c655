import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBclError } from '../../errors';
import { Rng } from '../../random/rng';
import type { Image } from '../image';
import { adjustBrightness, adjustContrast, adjustSaturation } from './enhance';
import { horizontalFlip } from './geometry';
import { adjustHue } from './hue';
import { resizedCrop } from './resize';
import { applySimclr, sampleResizedCrop, sampleSimclrParams, simclrAugmentation, type SimclrParams } from './simclr';
import { simclrOptions } from './simclr-options';

/** An Rng whose uniform draws are scripted, for hand-worked sampler cases. */
class ScriptedRng extends Rng {
  private position = 0;
  constructor(private readonly values: readonly number[]) {
    super(0);
  }
  override next(): number {
    return this.values[this.position++];
  }
}

function ramp(height: number, width: number, channels: number): Image {
  const data = Uint8Array.from({ length: height * width * channels }, (_, i) => (i * 41 + 5) % 256);
  return { data, height, width, channels };
}

const shape32 = { height: 32, width: 32 };

test('resized crop draws area then log-aspect, rounds, then places the window (hand-worked)', () => {
  // area 0.55 * 1024 = 563.2, aspect exp(0) = 1 -> 24 x 24; top int(0 * 9) = 0, left int(0.99 * 9) = 8.
  const crop = sampleResizedCrop(new ScriptedRng([0.5, 0.5, 0, 0.99]), shape32, [0.1, 1], [3 / 4, 4 / 3]);
  assert.deepEqual(crop, { top: 0, left: 8, height: 24, width: 24 });
});

test('after 10 failed tries the crop falls back to the central crop clamped to the ratio range', () => {
  // Aspect 2 at full area never fits 32x32: w = 32, h = round(32 / 2) = 16, centred.
  assert.deepEqual(sampleResizedCrop(new Rng(1), shape32, [1, 1], [2, 2]), { top: 8, left: 0, height: 16, width: 32 });
  // A 10x40 image is wider than ratio 1 allows: h = 10, w = round(10 * 1) = 10, centred.
  assert.deepEqual(sampleResizedCrop(new Rng(1), { height: 10, width: 40 }, [1, 1], [0.5, 1]), { top: 0, left: 15, height: 10, width: 10 });
});

test('the same seed gives the same parameters and bytes', () => {
  const image = ramp(32, 32, 3);
  const a = sampleSimclrParams(new Rng(123), image);
  const b = sampleSimclrParams(new Rng(123), image);
  assert.deepEqual(a, b);
  assert.deepEqual(applySimclr(image, a).data, applySimclr(image, b).data);
  const c = sampleSimclrParams(new Rng(124), image);
  assert.notDeepEqual(a, c);
  const augment = simclrAugmentation();
  assert.deepEqual(augment(image, new Rng(123)).data, applySimclr(image, a).data);
});

test('draws stay in range and fire at the configured rates (2000 draws)', () => {
  const rng = new Rng(99);
  const n = 2000;
  let flips = 0;
  let jitters = 0;
  let grays = 0;
  for (let i = 0; i < n; i++) {
    const p = sampleSimclrParams(rng, shape32);
    const { top, left, height, width } = p.crop;
    assert.ok(top >= 0 && left >= 0 && top + height <= 32 && left + width <= 32 && height >= 1 && width >= 1);
    // Rounding moves each side by at most 0.5 from a window with area in [0.1, 1] and ratio in [3/4, 4/3].
    assert.ok((width + 0.5) * (height + 0.5) >= 0.1 * 1024 && (width - 0.5) * (height - 0.5) <= 1024);
    assert.ok((width - 0.5) / (height + 0.5) <= 4 / 3 && (width + 0.5) / (height - 0.5) >= 3 / 4);
    assert.deepEqual([p.outputHeight, p.outputWidth], [32, 32]);
    if (p.flip) flips++;
    if (p.grayscale) grays++;
    if (p.colorJitter) {
      jitters++;
      const j = p.colorJitter;
      assert.deepEqual([...j.order].sort(), ['brightness', 'contrast', 'hue', 'saturation']);
      for (const f of [j.brightness, j.contrast, j.saturation]) assert.ok(f !== null && f >= 0.6 && f <= 1.4);
      assert.ok(j.hue !== null && j.hue >= -0.1 && j.hue <= 0.1);
    }
    assert.equal(p.blurSigma, null);
    assert.equal(p.solarizeThreshold, null);
  }
  assert.ok(Math.abs(flips / n - 0.5) < 0.05, `flip rate ${flips / n}`);
  assert.ok(Math.abs(jitters / n - 0.8) < 0.04, `jitter rate ${jitters / n}`);
  assert.ok(Math.abs(grays / n - 0.2) < 0.04, `grayscale rate ${grays / n}`);
});

test('applySimclr applies crop, flip, then the jitter in its drawn order', () => {
  const image = ramp(32, 32, 3);
  const params: SimclrParams = {
    crop: { top: 3, left: 5, height: 20, width: 17 },
    outputHeight: 32,
    outputWidth: 32,
    flip: true,
    colorJitter: { order: ['hue', 'contrast', 'brightness', 'saturation'], brightness: 1.3, contrast: 0.7, saturation: 1.2, hue: -0.05 },
    grayscale: false,
    blurSigma: null,
    blurKernelSize: 3,
    solarizeThreshold: null,
  };
  let expected = horizontalFlip(resizedCrop(image, 3, 5, 20, 17, 32, 32));
  expected = adjustSaturation(adjustBrightness(adjustContrast(adjustHue(expected, -0.05), 0.7), 1.3), 1.2);
  assert.deepEqual(applySimclr(image, params).data, expected.data);
});

test('output size, 1-channel images, grayscale, blur and solarize options', () => {
  const options = simclrOptions({ outputSize: [16, 24], grayscale: 1, blur: { probability: 1 }, solarize: { probability: 1 } });
  const rgb = ramp(40, 30, 3);
  const p = sampleSimclrParams(new Rng(5), rgb, options);
  assert.ok(p.blurSigma !== null && p.blurSigma >= 0.1 && p.blurSigma <= 2);
  assert.equal(p.blurKernelSize, 3);
  assert.equal(p.solarizeThreshold, 128);
  const view = applySimclr(rgb, p);
  assert.deepEqual([view.height, view.width, view.channels], [16, 24, 3]);
  for (let i = 0; i < view.data.length; i += 3) assert.ok(view.data[i] === view.data[i + 1] && view.data[i] === view.data[i + 2]);
  assert.equal(sampleSimclrParams(new Rng(5), { height: 224, width: 224 }, { blur: { probability: 1 } }).blurKernelSize, 23);
  const grey = ramp(28, 28, 1);
  const greyView = simclrAugmentation({ colorJitter: { probability: 1 }, grayscale: 1 })(grey, new Rng(8));
  assert.deepEqual([greyView.height, greyView.width, greyView.channels], [28, 28, 1]);
});

test('options are validated up front with the path of the bad field', () => {
  assert.throws(() => simclrOptions({ cropScale: [0, 1] }), /augmentation\.cropScale must be/);
  assert.throws(() => simclrOptions({ colorJitter: { hue: 0.7 } }, 'recipe.augmentation'), /recipe\.augmentation\.colorJitter\.hue/);
  assert.throws(() => simclrOptions({ flip: 2 }), isBclError);
  assert.throws(() => simclrOptions({ blur: { kernelSize: 4 } }), /blur\.kernelSize/);
  const resolved = simclrOptions({ flip: 0 });
  assert.equal(resolved.flip, 0);
  assert.equal(resolved.grayscale, 0.2);
  assert.deepEqual(resolved.cropScale, [0.1, 1]);
});
