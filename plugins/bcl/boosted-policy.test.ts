import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveSeed, emptyPolicy, RAND_AUGMENT_RANGES, Rng, sampleRandAugment, type AugmentationPolicy, type RandAugmentSettings } from '../../core/index';
import { boostedPolicy, type BoostedAugmentationOptions } from './boosted-policy';

const BCL_I: BoostedAugmentationOptions = { ops: 1, magnitudeMin: 10, magnitudeMax: 30, randomStrength: false, uniformScore: null };
/** The authors' k = 2 variant (BCL-D): strength 5 + 25 * M * U(0,1). */
const BCL_D: BoostedAugmentationOptions = { ops: 2, magnitudeMin: 5, magnitudeMax: 30, randomStrength: true, uniformScore: null };

function stepOf(policy: AugmentationPolicy, position: number): RandAugmentSettings & { op: string } {
  const append = policy.samples[position]?.append;
  assert.ok(append && append.length === 1, `sample ${position} has one step`);
  return append[0] as unknown as RandAugmentSettings & { op: string };
}

/** The magnitude on the 0-30 scale that produced a drawn step's value (ops with a non-trivial range). */
function magnitudeOf(step: { op: keyof typeof RAND_AUGMENT_RANGES; value: number }): number | undefined {
  const [min, max] = RAND_AUGMENT_RANGES[step.op];
  if (min === max || step.op === 'AutoContrast' || step.op === 'Invert' || step.op === 'Equalize') return undefined;
  return ((step.value - min) / (max - min)) * 30;
}

test('BCL-I: probability M, magnitude 10 + 20 M, one op; score 0 adds nothing', () => {
  const scores = Float32Array.of(0, 0.5, 1, 0.25);
  const policy = boostedPolicy(emptyPolicy(Int32Array.of(0, 1, 2, 3)), { seed: 0, epoch: 2, scores }, BCL_I);
  assert.equal(policy.samples[0], undefined);
  assert.deepEqual(stepOf(policy, 1), { op: 'RandAugment', k: 1, probability: 0.5, magnitude: 20 });
  assert.deepEqual(stepOf(policy, 2), { op: 'RandAugment', k: 1, probability: 1, magnitude: 30 });
  assert.deepEqual(stepOf(policy, 3), { op: 'RandAugment', k: 1, probability: 0.25, magnitude: 15 });
  const uniform = boostedPolicy(emptyPolicy(Int32Array.of(0, 1)), { seed: 0, epoch: 2, scores }, { ...BCL_I, uniformScore: 0.5 });
  assert.equal(stepOf(uniform, 0).magnitude, 20);
});

test('BCL-D: U is drawn once per sample per epoch: the same in any batch, in [5, 5 + 25 M], new each epoch, uniform over samples', () => {
  const n = 2000;
  const scores = Float32Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0.5));
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const epoch3 = boostedPolicy(emptyPolicy(all), { seed: 7, epoch: 3, scores }, BCL_D);
  // The same samples in another batch (reversed order, a subset) get the same magnitude.
  const other = Int32Array.from([1999, 12, 400, 5]);
  const again = boostedPolicy(emptyPolicy(other), { seed: 7, epoch: 3, scores }, BCL_D);
  other.forEach((index, i) => assert.equal(stepOf(again, i).magnitude, stepOf(epoch3, index).magnitude, `sample ${index}`));
  const epoch4 = boostedPolicy(emptyPolicy(all), { seed: 7, epoch: 4, scores }, BCL_D);
  let changed = 0;
  let uSum = 0;
  for (let i = 0; i < n; i++) {
    const { magnitude, k, probability } = stepOf(epoch3, i);
    assert.equal(k, 2);
    assert.equal(probability, scores[i]);
    const m = magnitude as number;
    assert.ok(m >= 5 && m <= 5 + 25 * scores[i] + 1e-9, `magnitude ${m} for M = ${scores[i]}`);
    uSum += (m - 5) / (25 * scores[i]);
    if (stepOf(epoch4, i).magnitude !== m) changed++;
  }
  assert.ok(changed > 0.99 * n, `${changed} of ${n} magnitudes changed between epochs`);
  // U ~ U(0,1): mean 0.5 with standard error 0.0065 at n = 2000.
  assert.ok(Math.abs(uSum / n - 0.5) < 0.03, `mean U ${uSum / n}`);
});

test('BCL-D: both views of a sample use its one magnitude, and choose their ops independently', () => {
  const n = 300;
  const scores = new Float32Array(n).fill(1);
  const policy = boostedPolicy(emptyPolicy(Int32Array.from({ length: n }, (_, i) => i)), { seed: 1, epoch: 2, scores }, BCL_D);
  let sameOps = 0;
  let compared = 0;
  for (let i = 0; i < n; i++) {
    const settings = stepOf(policy, i);
    // Each view continues its own generator (as the pipeline does); M = 1 applies every drawn op.
    const [a, b] = [0, 1].map((view) => sampleRandAugment(new Rng(deriveSeed(1, 2, i, view)), { height: 32, width: 32 }, settings));
    assert.equal(a.length, 2);
    assert.equal(b.length, 2);
    for (const step of [...a, ...b]) {
      const m = magnitudeOf(step);
      if (m !== undefined) assert.ok(Math.abs(m - (settings.magnitude as number)) < 1e-9, `sample ${i}: ${step.op} at ${m}, policy ${settings.magnitude}`);
    }
    compared++;
    if (a[0].op === b[0].op && a[1].op === b[1].op) sameOps++;
  }
  // Independent choices of 2 ops out of 15 coincide with probability 1/225.
  assert.ok(sameOps / compared < 0.03, `${sameOps} of ${compared} samples drew the same ops in both views`);
});
