import { z } from 'zod';
import { BclError } from '../errors';
import { formatIssues } from '../recipes/format-issues';
import { readJobFile } from '../util/read-job-file';

/** Recipe fields merged into one stage's recipe, as an `extends` layer on top. */
const overrides = () => z.record(z.string(), z.unknown()).default({});

/**
 * A DnC job (Divide and Contrast, Tian et al. 2021): a base SSL recipe and its four stages.
 * docs/methods/dnc.md documents every field.
 */
export const DncSchema = z.strictObject({
  description: z.string().default(''),
  /** The base SSL recipe (name in recipes/ or a path relative to this file); every stage starts from it. */
  recipe: z.string().min(1),
  /** Recipe fields merged into every stage's recipe (e.g. a smaller batch for a smoke run). */
  overrides: overrides(),
  /** Number of clusters = experts, K (DnC: 5 on ImageNet-scale data). */
  clusters: z.number().int().min(2).default(5),
  /** k-means of the base model's L2-normalised backbone features. */
  kmeans: z
    .strictObject({
      /** Most Lloyd iterations per start. */
      iterations: z.number().int().positive().default(100),
      /** k-means++ starts; the lowest inertia wins. */
      restarts: z.number().int().positive().default(3),
      /** Seed of the k-means++ draws. Default: the base recipe's seed. */
      seed: z.number().int().nonnegative().optional(),
    })
    .prefault({}),
  stages: z
    .strictObject({
      /** Stage 1: the base model, trained on all data. */
      base: z.strictObject({ overrides: overrides() }).prefault({}),
      /** Stage 3: one expert per cluster, starting from the base's weights, trained on its cluster only. */
      experts: z.strictObject({ overrides: overrides() }).prefault({}),
      /** Stage 4: one student on all data, regressing every teacher's embeddings (optionally beside the base method's loss). */
      distill: z
        .strictObject({
          overrides: overrides(),
          /** Weight of the distillation term. */
          weight: z.number().gt(0).default(1),
          /** Weight of the base method's own loss in the student; 0: distillation alone, as DnC describes it. */
          sslWeight: z.number().min(0).default(0),
          /** The base model is a teacher too (DnC distils "the experts and the base model"); false: the experts only. */
          includeBase: z.boolean().default(true),
          /** Hidden width of each expert's head (0: the backbone's feature width). */
          hiddenDim: z.number().int().min(0).default(0),
          /** `scratch`: the student starts from a fresh initialisation; `base`: from the base's weights. */
          init: z.enum(['scratch', 'base']).default('scratch'),
        })
        .prefault({}),
    })
    .prefault({}),
});

/** A validated DnC job file. */
export type DncSpec = z.output<typeof DncSchema>;

/** Reads and validates a DnC job file; every problem is reported at once with its path. */
export function readDncSpec(file: string): DncSpec {
  const raw = readJobFile(file, 'DnC file', 'A DnC job is a JSON file with "recipe", "clusters" and "stages"; see docs/methods/dnc.md.');
  const parsed = DncSchema.safeParse(raw);
  if (!parsed.success) {
    throw new BclError('RECIPE_INVALID', `${file} is invalid:\n  - ${formatIssues(parsed.error.issues, 'dnc', raw, DncSchema).join('\n  - ')}`, { hint: 'docs/methods/dnc.md lists every field of a DnC file.' });
  }
  return parsed.data;
}
