import { BclError } from '../errors';
import type { AugmentationStep } from './augment/augmentation-op';
import { compilePipeline, runPipeline, type CompiledPipeline } from './augment/compile-pipeline';
import { isBuiltinAugmentationOp } from './augment/builtin-ops';
import { findAugmentationOp } from './augment/op-registry';
import type { ResolvedViewPipelines } from './augmentation-from-recipe';
import type { BaseAugmentation } from './base-views';

/** Compiled base pipelines of every view (`rest` for views beyond those declared). */
export interface CompiledViewPipelines {
  readonly views: readonly CompiledPipeline[];
  readonly rest: CompiledPipeline;
}

/** Compiles (and so validates) every view's pipeline; errors name the view's source and the field. */
export function compileViewPipelines(pipelines: ResolvedViewPipelines): CompiledViewPipelines {
  return {
    views: pipelines.views.map((steps, v) => compilePipeline(steps, { path: pipelines.paths[v] })),
    rest: compilePipeline(pipelines.rest, { path: 'the SimCLR base pipeline' }),
  };
}

/** The base augmentation of view `view`: its compiled pipeline as `(image, rng) => view`. */
export function baseAugmentationOf(compiled: CompiledViewPipelines): (view: number) => BaseAugmentation {
  const bases = compiled.views.map((pipeline) => (image: Parameters<BaseAugmentation>[0], rng: Parameters<BaseAugmentation>[1]) => runPipeline(image, pipeline, rng));
  const rest: BaseAugmentation = (image, rng) => runPipeline(image, compiled.rest, rng);
  return (view) => bases[view] ?? rest;
}

/**
 * The modules data workers must load so they find every non-built-in op the base pipelines name
 * (steps, and names in a step's `ops` list such as RandAugment's). Throws, naming the op and the
 * fix, for an op registered without a `module`: a worker could not find it.
 */
export function workerModules(pipelines: ResolvedViewPipelines): string[] {
  const modules = new Set<string>();
  const visit = (name: string): void => {
    const op = findAugmentationOp(name);
    if (!op || isBuiltinAugmentationOp(op)) return;
    if (!op.module) {
      throw new BclError('RECIPE_INVALID', `the augmentation op "${name}" is used in a base pipeline, but was registered without a \`module\`, so data worker threads cannot load it.`, {
        hint: 'Register it with module: __filename (the file that registers it), or set data.workers to 0 to augment on the main thread.',
      });
    }
    modules.add(op.module);
  };
  const steps: AugmentationStep[] = [...pipelines.views.flat(), ...pipelines.rest];
  for (const step of steps) {
    visit(step.op);
    if (Array.isArray(step.ops)) for (const name of step.ops) if (typeof name === 'string') visit(name);
  }
  return [...modules];
}
