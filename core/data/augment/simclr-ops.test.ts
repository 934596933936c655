import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../random/rng';
import type { Image } from '../image';
import { compilePipeline, runPipeline } from './compile-pipeline';
import { simclrAugmentation } from './simclr';
import { SIMCLR_BASE_PIPELINE } from './simclr-ops';
import type { SimclrOptionsInput } from './simclr-options';
import { isBclError } from '../../errors';

function ramp(height: number, width: number, channels: number): Image {
  const data = Uint8Array.from({ length: height * width * channels }, (_, i) => (i * 37 + (i >> 5) * 11) % 256);
  return { data, height, width, channels };
}

/** The SIMCLR_BASE_PIPELINE steps with the same settings as `options` (what the recipe mapping does). */
function steps(o: { cropScale: [number, number]; flip: number; grayscale: number; blur: number; solarize: number }) {
  const params: Record<string, Record<string, unknown>> = {
    RandomResizedCrop: { scale: o.cropScale },
    RandomHorizontalFlip: { probability: o.flip },
    RandomGrayscale: { probability: o.grayscale },
    GaussianBlur: { probability: o.blur, sigma: [0.1, 2] },
    RandomSolarize: { probability: o.solarize, threshold: 128 },
  };
  return SIMCLR_BASE_PIPELINE.map((s) => ({ ...s, ...params[s.op] }));
}

test('the SimCLR base pipeline of registered ops equals simclrAugmentation byte for byte (3 settings x 2 shapes x 60 seeds)', () => {
  const settings = [
    { cropScale: [0.1, 1] as [number, number], flip: 0.5, grayscale: 0.2, blur: 0, solarize: 0 },
    { cropScale: [0.08, 1] as [number, number], flip: 0.5, grayscale: 0.2, blur: 1, solarize: 0 },
    { cropScale: [0.3, 0.9] as [number, number], flip: 0.3, grayscale: 0.5, blur: 0.1, solarize: 0.2 },
  ];
  for (const s of settings) {
    const options: SimclrOptionsInput = { cropScale: s.cropScale, flip: s.flip, grayscale: s.grayscale, blur: { probability: s.blur }, solarize: { probability: s.solarize } };
    const reference = simclrAugmentation(options);
    const pipeline = compilePipeline(steps(s), { path: 'test' });
    for (const image of [ramp(32, 32, 3), ramp(28, 28, 1)]) {
      for (let seed = 0; seed < 60; seed++) {
        const a = reference(image, new Rng(seed));
        const rng = new Rng(seed);
        const b = runPipeline(image, pipeline, rng);
        assert.deepEqual(b.data, a.data, `seed ${seed}, ${JSON.stringify(s)}`);
      }
    }
  }
});

test('a bad step names its path, field and op; an unknown op lists the known ones', () => {
  assert.throws(
    () => compilePipeline([{ op: 'RandomResizedCrop', scale: [0.5, 2] }], { path: 'recipe.augmentation.views[0].pipeline' }),
    (e: unknown) => isBclError(e) && e.code === 'RECIPE_INVALID' && /recipe\.augmentation\.views\[0\]\.pipeline\[0\]\.scale\[1\] must be <= 1, but got 2 \(op RandomResizedCrop\)/.test(e.message),
  );
  assert.throws(() => compilePipeline([{ op: 'ColourJitter' }], { path: 'p' }), /p\[0\]\.op names the augmentation op "ColourJitter", which is not registered.*Known ops: .*ColorJitter/);
  assert.throws(() => compilePipeline([{ op: 'ColorJitter', strength: 1 }], { path: 'p' }), /p\[0\] has unknown field "strength"/);
});
