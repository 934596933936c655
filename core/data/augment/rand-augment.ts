/**
 * RandAugment as the BCL authors run it (`RandAugment_prob`): draw k ops with replacement
 * (`random.choices`), apply each with probability p at one magnitude on the 0-30 scale. The
 * registered op `RandAugment` (`randAugmentOp`) applies it inside pipelines and per-sample
 * policies; `sampleRandAugment` makes the same draws as data, so a view's steps can be logged,
 * tested or replayed. Every draw comes from `rng`.
 */
import { z } from 'zod';
import { BclError } from '../../errors';
import type { Rng } from '../../random/rng';
import type { Image } from '../image';
import { defineAugmentationOp, type AugmentationOp } from './augmentation-op';
import { findAugmentationOp } from './op-registry';
import {
  applyRandAugmentOp,
  isSignedOp,
  MAX_MAGNITUDE,
  RAND_AUGMENT_OPS,
  randAugmentValue,
  type RandAugmentStep,
} from './rand-augment-ops';

/** Per-sample RandAugment settings. */
export interface RandAugmentSettings {
  /** Ops drawn per view, with replacement (integer >= 0). Default 2 (the authors' BCL runs use 1). */
  readonly k: number;
  /** Probability that each drawn op is applied, in [0, 1]. Default 1. */
  readonly probability: number;
  /**
   * Magnitude on the 0-30 scale: a number, or [low, high] to draw it uniformly once per view.
   * Default 10.
   */
  readonly magnitude: number | readonly [number, number];
}

/** Defaults of `RandAugmentSettings`. */
export const DEFAULT_RAND_AUGMENT: RandAugmentSettings = { k: 2, probability: 1, magnitude: 10 };

function invalid(path: string, expected: string, got: unknown): BclError {
  return new BclError('PLUGIN_FAILED', `${path} must be ${expected}, but got ${JSON.stringify(got)}.`, {
    hint: 'Magnitudes use the 0-30 scale.',
  });
}

/** Checks settings up front, naming the bad field. Throws BclError. */
export function validateRandAugmentSettings(settings: RandAugmentSettings, path = 'randAugment'): void {
  const { k, probability, magnitude } = settings;
  if (!Number.isInteger(k) || k < 0) throw invalid(`${path}.k`, 'an integer >= 0', k);
  if (!(probability >= 0 && probability <= 1)) throw invalid(`${path}.probability`, 'in [0, 1]', probability);
  const [low, high] = typeof magnitude === 'number' ? [magnitude, magnitude] : magnitude;
  // The tolerance admits float32 policy values such as fround(30 * M) a hair above 30.
  if (!(low >= 0 && high >= low && high <= MAX_MAGNITUDE * (1 + 1e-6))) {
    throw invalid(`${path}.magnitude`, `a number or [low, high] with 0 <= low <= high <= ${MAX_MAGNITUDE}`, magnitude);
  }
}

/**
 * Draws one view's steps: the magnitude (if a range), k op ids, then per op the apply-or-skip draw
 * and, for applied ops, the sign (affine ops: negative when U > 0.5, as the authors do) or the
 * Cutout centre (uniform over [0, width) x [0, height)). Returns only the applied steps, in order.
 * Settings are validated on every call (a few comparisons). Makes exactly the draws of
 * `randAugmentOp` over the 15 built-in ops, so `applyRandAugment` of its result is that op's output.
 */
export function sampleRandAugment(rng: Rng, size: Pick<Image, 'height' | 'width'>, settings: RandAugmentSettings = DEFAULT_RAND_AUGMENT): RandAugmentStep[] {
  validateRandAugmentSettings(settings);
  const { k, probability, magnitude } = settings;
  const m = typeof magnitude === 'number' ? magnitude : rng.uniform(magnitude[0], magnitude[1]);
  const ops = new Array<number>(k);
  for (let i = 0; i < k; i++) ops[i] = rng.int(RAND_AUGMENT_OPS.length);
  const steps: RandAugmentStep[] = [];
  for (let i = 0; i < k; i++) {
    if (!(rng.next() < probability)) continue;
    const op = RAND_AUGMENT_OPS[ops[i]];
    let sign: 1 | -1 = 1;
    let cx = 0;
    let cy = 0;
    if (isSignedOp(op)) sign = rng.next() > 0.5 ? -1 : 1;
    else if (op === 'Cutout') {
      cx = rng.uniform(0, size.width);
      cy = rng.uniform(0, size.height);
    }
    steps.push({ op, value: randAugmentValue(op, m), sign, cx, cy });
  }
  return steps;
}

/** Applies drawn steps in order; returns a new image (a copy when there are none). */
export function applyRandAugment(image: Image, steps: readonly RandAugmentStep[]): Image {
  let out = image;
  for (const step of steps) out = applyRandAugmentOp(out, step);
  return out === image ? { ...image, data: image.data.slice() } : out;
}

const RandAugmentParamsSchema = z
  .strictObject({
    /** Ops drawn per view, with replacement. Default 2 (the authors' BCL-I runs use 1). */
    k: z.number().int().min(0).default(DEFAULT_RAND_AUGMENT.k),
    /** Probability that each drawn op is applied. Default 1. */
    probability: z.number().min(0).max(1).default(DEFAULT_RAND_AUGMENT.probability),
    /** 0-30; a number, or [low, high] drawn uniformly once per view. Default 10. */
    magnitude: z
      .union([
        z.number().min(0).max(MAX_MAGNITUDE),
        z.tuple([z.number().min(0), z.number().max(MAX_MAGNITUDE)]).refine(([low, high]) => low <= high, { message: 'must be [low, high] with low <= high' }),
      ])
      .default(DEFAULT_RAND_AUGMENT.magnitude as number),
    /**
     * Names of the registered ops to choose from; omitted: the authors' 15. Each must take
     * `magnitude` and `probability` (as the RandAugment ops do).
     */
    ops: z.array(z.string()).min(1).optional(),
  })
  .superRefine((p, context) => {
    for (const [i, name] of (p.ops ?? []).entries()) {
      const op = findAugmentationOp(name);
      if (!op) context.addIssue({ code: 'custom', path: ['ops', i], message: `names no registered augmentation op (${JSON.stringify(name)})`, input: name });
      else if (!op.params.safeParse({ magnitude: 0, probability: 1 }).success) {
        context.addIssue({ code: 'custom', path: ['ops', i], message: `names an op that does not take { magnitude, probability } (${JSON.stringify(name)})`, input: name });
      }
    }
  });

/** Parameters of the `RandAugment` step. */
export type RandAugmentParams = z.output<typeof RandAugmentParamsSchema>;

/** Ops of a custom `ops` list with their parsed defaults, resolved once per list. */
const resolvedLists = new WeakMap<readonly string[], readonly { op: AugmentationOp<unknown, unknown>; defaults: Record<string, unknown> }[]>();

function resolveList(names: readonly string[]): readonly { op: AugmentationOp<unknown, unknown>; defaults: Record<string, unknown> }[] {
  let list = resolvedLists.get(names);
  if (!list) {
    list = names.map((name) => {
      const op = findAugmentationOp(name)!;
      return { op, defaults: op.params.parse({ magnitude: 0, probability: 1 }) as Record<string, unknown> };
    });
    resolvedLists.set(names, list);
  }
  return list;
}

/**
 * The registered `RandAugment` step: k ops drawn with replacement, each applied with probability
 * `probability` at one magnitude per view. Draws: the magnitude (if a range), the k op ids, then
 * per op the apply-or-skip draw and the op's own draws (sign, Cutout centre).
 */
export const randAugmentOp = defineAugmentationOp({
  name: 'RandAugment',
  description: 'k random RandAugment ops, each applied with probability `probability` at magnitude `magnitude` (0-30)',
  params: RandAugmentParamsSchema,
  apply(image, p, rng) {
    if (!p.ops) return applyRandAugment(image, sampleRandAugment(rng, image, p));
    const list = resolveList(p.ops);
    const m = typeof p.magnitude === 'number' ? p.magnitude : rng.uniform(p.magnitude[0], p.magnitude[1]);
    const chosen = new Array<number>(p.k);
    for (let i = 0; i < p.k; i++) chosen[i] = rng.int(list.length);
    let out = image;
    for (const index of chosen) {
      if (!(rng.next() < p.probability)) continue;
      const { op, defaults } = list[index];
      out = op.apply(out, { ...defaults, magnitude: m, probability: 1 }, rng);
    }
    return out;
  },
});
