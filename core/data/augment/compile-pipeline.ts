/**
 * Pipelines as data (`AugmentationStep[]`) become compiled pipelines: each step's op looked up by
 * name and its parameters parsed with the op's schema, once. Running a compiled pipeline is then a
 * loop of `apply` calls with no validation left.
 */
import './builtin-ops';
import { BclError, type ErrorCode } from '../../errors';
import { formatIssues } from '../../recipes/format-issues';
import type { Rng } from '../../random/rng';
import type { Image } from '../image';
import type { AugmentationOp, AugmentationStep } from './augmentation-op';
import { requireAugmentationOp } from './op-registry';

/** A step with its op resolved and its parameters parsed. */
export interface CompiledStep {
  readonly op: AugmentationOp<unknown, unknown>;
  readonly params: unknown;
}

/** Compiled steps, applied in order. */
export type CompiledPipeline = readonly CompiledStep[];

/** Where a bad step came from, for the error: its path, code and hint. */
export interface StepSource {
  readonly path: string;
  readonly code?: ErrorCode;
  readonly hint?: string;
  readonly plugin?: string;
  readonly hook?: string;
}

/** Looks up `step.op` and parses its parameters; throws a BclError naming the bad field. */
export function compileStep(step: AugmentationStep, source: StepSource): CompiledStep {
  if (step === null || typeof step !== 'object' || typeof step.op !== 'string') {
    throw new BclError(source.code ?? 'RECIPE_INVALID', `${source.path} must be an object { "op": "<name>", ...params }, but got ${JSON.stringify(step)}.`, {
      hint: source.hint,
      plugin: source.plugin,
      hook: source.hook,
    });
  }
  const { op: name, ...raw } = step;
  const op = requireAugmentationOp(name, `${source.path}.op`);
  const parsed = op.params.safeParse(raw);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues, source.path, raw);
    throw new BclError(source.code ?? 'RECIPE_INVALID', `${problems.join('; ')} (op ${name}).`, {
      hint: source.hint ?? 'docs/augmentations.md lists every op and its parameters.',
      plugin: source.plugin,
      hook: source.hook,
    });
  }
  return { op, params: parsed.data };
}

/** Compiles every step; `source.path` names the list (steps are `path[i]`). */
export function compilePipeline(steps: readonly AugmentationStep[], source: StepSource): CompiledPipeline {
  if (!Array.isArray(steps)) {
    throw new BclError(source.code ?? 'RECIPE_INVALID', `${source.path} must be a list of augmentation steps, but got ${JSON.stringify(steps)}.`, { hint: source.hint });
  }
  return steps.map((step, i) => compileStep(step, { ...source, path: `${source.path}[${i}]` }));
}

/** Applies the steps in order, each drawing from `rng`; returns `image` itself when there are none. */
export function runPipeline(image: Image, pipeline: CompiledPipeline, rng: Rng): Image {
  let out = image;
  for (const { op, params } of pipeline) out = op.apply(out, params, rng);
  return out;
}
