import * as os from 'node:os';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { createBaseAugmentation, createPolicyAugmentation } from './augmentation-from-recipe';
import { BaseViewPool } from './base-view-pool';
import type { IndexedDataset } from './dataset';
import { ViewPipeline } from './view-pipeline';

/** Default `data.workers`: one per core beyond the one the training step runs on (1 on a 2-core machine). */
export function defaultDataWorkers(): number {
  return Math.max(0, os.availableParallelism() - 1);
}

/** Options of `createViewPipeline` beyond the recipe. */
export interface CreateViewPipelineOptions {
  /** Overrides `recipe.data.workers` (for benchmarks and tests). */
  readonly workers?: number;
  /** See `BaseViewPoolOptions.shareLimitBytes`. */
  readonly shareLimitBytes?: number;
}

/**
 * The view pipeline a recipe describes: its base augmentation, the policy's RandAugment, its
 * normalisation, and `data.workers` worker threads (default `defaultDataWorkers()`) that prepare
 * base views ahead of the step. With `augmentation.base: none` no workers start (nothing to
 * prepare). The caller owns the pipeline and must `dispose()` it (that terminates the workers).
 */
export function createViewPipeline(dataset: IndexedDataset, recipe: ResolvedRecipe, options: CreateViewPipelineOptions = {}): ViewPipeline {
  const workers = recipe.augmentation.base === 'none' ? 0 : (options.workers ?? recipe.data.workers ?? defaultDataWorkers());
  // Built (and validated) here first, so a bad augmentation spec fails before any worker starts.
  const base = createBaseAugmentation(recipe.augmentation);
  const pool = workers > 0
    ? new BaseViewPool(dataset, { workers, seed: recipe.seed, augmentation: recipe.augmentation, shareLimitBytes: options.shareLimitBytes })
    : undefined;
  return new ViewPipeline(dataset, {
    seed: recipe.seed,
    base,
    policy: createPolicyAugmentation(),
    mean: recipe.data.mean,
    std: recipe.data.std,
    pool,
  });
}
