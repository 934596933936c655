import { BclError } from '../errors';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import type { AugmentationStep } from './augment/augmentation-op';
import { SIMCLR_BASE_PIPELINE } from './augment/simclr-ops';
import type { ViewSpec } from './view-spec';

/** The recipe's `augmentation` section. */
export type AugmentationSection = ResolvedRecipe['augmentation'];

/**
 * The recipe's shared settings per op: what a step that leaves a parameter out gets (before the
 * op's own default). `augmentation.cropScale` is RandomResizedCrop's `scale`, and so on.
 */
export function recipeOpDefaults(section: AugmentationSection): Readonly<Record<string, Readonly<Record<string, unknown>>>> {
  return {
    RandomResizedCrop: { scale: section.cropScale, ratio: section.cropRatio },
    RandomHorizontalFlip: { probability: section.flip },
    ColorJitter: { ...section.colorJitter },
    RandomGrayscale: { probability: section.grayscale },
    GaussianBlur: { ...section.blur },
    RandomSolarize: { ...section.solarize },
  };
}

/**
 * The base pipelines of a run, as data with the recipe's settings filled in: `views[v]` for the
 * views the method or the recipe declares, `rest` for any further view (the recipe's default).
 * Precedence per view: `augmentation.views[v]` (the recipe's override) > the method's declared
 * view > the SimCLR base pipeline; `augmentation.base: "none"` empties the latter two. Per step
 * parameter: the step's own > the recipe's shared setting for the op > the op's default.
 */
export interface ResolvedViewPipelines {
  readonly views: readonly (readonly AugmentationStep[])[];
  /** Where each of `views` came from, for error messages (`recipe.augmentation.views[1].pipeline`). */
  readonly paths: readonly string[];
  readonly rest: readonly AugmentationStep[];
}

/** Resolves the per-view pipelines; `viewCount` (the method's views) checks the declarations' lengths. */
export function resolveViewPipelines(section: AugmentationSection, declared?: readonly ViewSpec[], viewCount?: number, method = 'the method'): ResolvedViewPipelines {
  const overrides = section.views ?? [];
  if (viewCount !== undefined && declared && declared.length !== viewCount) {
    throw new BclError('PLUGIN_FAILED', `${method} declares ${declared.length} view pipelines, but takes ${viewCount} views.`, {
      plugin: method,
      hint: 'Return one entry in `views` per view of the method.',
    });
  }
  if (viewCount !== undefined && overrides.length > viewCount) {
    throw new BclError('RECIPE_INVALID', `recipe.augmentation.views has ${overrides.length} entries, but ${method} takes ${viewCount} views.`, {
      hint: 'Give at most one entry per view (null keeps the method\'s pipeline for that view).',
    });
  }
  const defaults = recipeOpDefaults(section);
  const fill = (steps: readonly AugmentationStep[]): AugmentationStep[] =>
    steps.map((step) => ({ ...defaults[step.op], ...step }));
  const standard = section.base === 'none' ? [] : SIMCLR_BASE_PIPELINE;
  const count = Math.max(declared?.length ?? 0, overrides.length);
  const paths: string[] = [];
  const views = Array.from({ length: count }, (_, v) => {
    const override = overrides[v];
    if (override) {
      paths.push(`recipe.augmentation.views[${v}].pipeline`);
      return fill(override.pipeline);
    }
    paths.push(declared?.[v] ? `${method}'s views[${v}].pipeline` : 'the SimCLR base pipeline');
    if (section.base === 'none') return [];
    return fill(declared?.[v]?.pipeline ?? standard);
  });
  return { views, paths, rest: fill(standard) };
}

/** The pipeline of view `view`. */
export function pipelineOfView(pipelines: ResolvedViewPipelines, view: number): readonly AugmentationStep[] {
  return pipelines.views[view] ?? pipelines.rest;
}
