import * as path from 'node:path';
import { z } from 'zod';
import { BclError } from '../errors';
import { formatIssues } from '../recipes/format-issues';
import { readJobFile } from '../util/read-job-file';

const label = () =>
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a label of letters, digits, ".", "_" or "-"')
    .max(64);

/** The probes every cell (and floor) is evaluated with; the defaults are `bcl eval`'s. */
export const StudyEvalSchema = z
  .strictObject({
    probe: z.enum(['linear', 'knn', 'all']).default('all'),
    shots: z.array(z.union([z.literal('full'), z.number().int().positive()])).min(1).default(['full', 100, 50]),
    /** k-shot subsets per shot count. */
    seeds: z.number().int().positive().default(3),
    /** Linear-probe epochs (the authors: 500). */
    epochs: z.number().int().positive().default(500),
    groups: z.enum(['auto', 'thirds', 'authors-thirds', 'thresholds']).default('auto'),
    knnK: z.number().int().positive().default(200),
    knnTemperature: z.number().positive().default(0.1),
  })
  .prefault({});

/**
 * A study: a grid of methods x seeds x class permutations, each cell an ordinary resumable run of
 * a recipe, plus the floors. docs/study.md documents every field.
 */
export const StudySchema = z.strictObject({
  description: z.string().default(''),
  /**
   * The methods compared: a label (folder and table name) and either a recipe name or path, or a
   * DnC file (`"dnc"`, docs/methods/dnc.md: the cell runs every DnC stage and evaluates the
   * distilled student); paths are relative to the study file.
   */
  methods: z.array(z.strictObject({ label: label(), recipe: z.string().min(1).optional(), dnc: z.string().min(1).optional() })).min(1),
  /** Label of the method the paired differences are taken against. Default: the first. */
  baseline: label().optional(),
  /** Training seeds (`recipe.seed`). */
  seeds: z.array(z.number().int().nonnegative()).min(1),
  /**
   * `data.dataset.classPermutationSeed` of each permutation; `null` keeps label order. Needs a
   * dataset built from a balanced source (`fashion-mnist`, `cifar-*` with `imbalanceRatio`).
   */
  classPermutations: z.array(z.number().int().nonnegative().nullable()).min(1).default([null]),
  /** Recipe fields merged into every cell's recipe (e.g. `{ "epochs": 100 }`), as an `extends` layer on top. */
  overrides: z.record(z.string(), z.unknown()).default({}),
  eval: StudyEvalSchema,
  /** Reference points per seed and permutation: a linear probe on raw pixels, and on the baseline's backbone untrained. */
  floors: z.array(z.enum(['raw-pixels', 'random-init'])).default(['raw-pixels', 'random-init']),
  /** Write the HTML report with charts of the trained cells (`<out>/report/`). */
  report: z.boolean().default(true),
});

/** A validated study file. */
export type StudySpec = z.output<typeof StudySchema>;
/** The `eval` block of a study. */
export type StudyEval = z.output<typeof StudyEvalSchema>;

/** Reads and validates a study file; every problem is reported at once with its path. */
export function readStudySpec(file: string): StudySpec {
  const raw = readJobFile(file, 'study file', 'A study is a JSON file with "methods", "seeds" and optionally "classPermutations"; see docs/study.md.');
  return parseStudySpec(raw, file);
}

/** Validates a study object (`source` names it in errors). */
export function parseStudySpec(raw: unknown, source = 'study'): StudySpec {
  const parsed = StudySchema.safeParse(raw);
  if (!parsed.success) {
    throw new BclError('RECIPE_INVALID', `${source} is invalid:\n  - ${formatIssues(parsed.error.issues, 'study', raw).join('\n  - ')}`, {
      hint: 'docs/study.md lists every field of a study file.',
    });
  }
  const spec = parsed.data;
  const labels = spec.methods.map((m) => m.label);
  const problems: string[] = [];
  spec.methods.forEach((m, i) => {
    if ((m.recipe === undefined) === (m.dnc === undefined)) problems.push(`study.methods[${i}] (${m.label}) needs exactly one of "recipe" (a recipe name or path) and "dnc" (a DnC file)`);
  });
  const duplicate = labels.find((l, i) => labels.indexOf(l) !== i);
  if (duplicate) problems.push(`study.methods has the label "${duplicate}" twice`);
  if (spec.baseline !== undefined && !labels.includes(spec.baseline)) problems.push(`study.baseline must be one of the method labels (${labels.join(', ')}), but got "${spec.baseline}"`);
  for (const [name, values] of [['seeds', spec.seeds], ['classPermutations', spec.classPermutations]] as const) {
    const seen = values.map((v) => String(v));
    const again = seen.find((v, i) => seen.indexOf(v) !== i);
    if (again !== undefined) problems.push(`study.${name} lists ${again} twice`);
  }
  if (problems.length > 0) throw new BclError('RECIPE_INVALID', `${source} is invalid:\n  - ${problems.join('\n  - ')}`, { hint: 'docs/study.md lists every field of a study file.' });
  return spec;
}

/** The baseline's label. */
export function baselineOf(spec: StudySpec): string {
  return spec.baseline ?? spec.methods[0].label;
}

/** The folder name of a cell or floor: `<label>_p<perm|id>_s<seed>`, unique within a study. */
export function cellName(label: string, permutation: number | null, seed: number): string {
  return `${label}_p${permutation === null ? 'id' : permutation}_s${seed}`;
}

/** Resolves a recipe reference of a study relative to the study file's folder when it is a path. */
export function studyRecipeDir(studyFile: string): string {
  return path.dirname(path.resolve(studyFile));
}
