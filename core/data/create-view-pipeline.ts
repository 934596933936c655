import * as os from 'node:os';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { resolveViewPipelines } from './augmentation-from-recipe';
import { BaseViewPool } from './base-view-pool';
import { compileViewPipelines, workerModules } from './compile-view-pipelines';
import type { IndexedDataset } from './dataset';
import { ViewPipeline } from './view-pipeline';
import type { ViewSpec } from './view-spec';

/** Default `data.workers`: one per core beyond the one the training step runs on (1 on a 2-core machine). */
export function defaultDataWorkers(): number {
  return Math.max(0, os.availableParallelism() - 1);
}

/** Options of `createViewPipeline` beyond the recipe. */
export interface CreateViewPipelineOptions {
  /** The views the method declares (its plugin's `views`); omitted: the recipe's default for every view. */
  readonly views?: readonly ViewSpec[];
  /** Views the method takes: checks the lengths of `views` and `recipe.augmentation.views`. */
  readonly viewCount?: number;
  /** Name of the method, for error messages. */
  readonly method?: string;
  /** Overrides `recipe.data.workers` (for benchmarks and tests). */
  readonly workers?: number;
  /** See `BaseViewPoolOptions.shareLimitBytes`. */
  readonly shareLimitBytes?: number;
}

/**
 * The view pipeline a recipe and a method describe: every view's base pipeline, the policy's
 * per-sample steps, the normalisation, and `data.workers` worker threads (default
 * `defaultDataWorkers()`) that prepare base views ahead of the step. When every base pipeline is
 * empty no workers start (nothing to prepare). The caller owns the pipeline and must `dispose()`
 * it (that terminates the workers).
 */
export function createViewPipeline(dataset: IndexedDataset, recipe: ResolvedRecipe, options: CreateViewPipelineOptions = {}): ViewPipeline {
  const pipelines = resolveViewPipelines(recipe.augmentation, options.views, options.viewCount, options.method);
  // Compiled (and validated) here first, so a bad augmentation spec fails before any worker starts.
  compileViewPipelines(pipelines);
  const empty = pipelines.rest.length === 0 && pipelines.views.every((steps) => steps.length === 0);
  const workers = empty ? 0 : (options.workers ?? recipe.data.workers ?? defaultDataWorkers());
  const pool = workers > 0
    ? new BaseViewPool(dataset, { workers, seed: recipe.seed, pipelines, modules: workerModules(pipelines), shareLimitBytes: options.shareLimitBytes })
    : undefined;
  return new ViewPipeline(dataset, { seed: recipe.seed, pipelines, mean: recipe.data.mean, std: recipe.data.std, pool });
}
