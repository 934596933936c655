import 'reflect-metadata';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { selectBackend, type BackendName } from '../backends/select-backend';
import { decodeRunCheckpoint, type RestoredRun, type RunCheckpointMeta } from '../checkpoint/run-checkpoint';
import { createViewPipeline } from '../data/create-view-pipeline';
import type { IndexedDataset } from '../data/dataset';
import { loadTrainingDataset } from '../data/load-dataset';
import { readNpyIndices } from '../data/datasets/npy-reader';
import { subsetByIndices } from '../data/datasets/subset';
import type { ViewPipeline } from '../data/view-pipeline';
import { BclError } from '../errors';
import { EventBus } from '../events/event-bus';
import { HookDriver } from '../hooks/hook-driver';
import { diffRecipes } from '../recipes/recipe-diff';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { resolveRecipe } from '../recipes/resolve-recipe';
import { createOptimizer } from '../train/optimizers/create-optimizer';
import type { Optimizer } from '../train/optimizers/optimizer';
import { initialiseFrom } from './init-from';
import { checkRecipeFitsDataset } from './check-recipe-fits-dataset';
import { checkActivationMemory } from './activation-memory';
import { isOutOfMemory, outOfMemoryError } from './out-of-memory';
import { composeRun, type ComposedRun } from './compose-run';
import { Trainer, type TrainSummary } from '../train/trainer';
import { attachMetricsLog, rewindMetricsLog } from './metrics-log';
import { openRunFolder } from './run-folder';
import { attachMetricSinks, metricsHistory } from './sinks/attach-metric-sinks';
import { packageRoot } from '../util/package-root';

/** Options of `train`. */
export interface TrainOptions {
  /** A resolved recipe, or a recipe name / path to load and validate. */
  readonly recipe: ResolvedRecipe | string;
  /** Run folder for recipe.json, metrics.jsonl and checkpoints; omitted: nothing is written. */
  readonly outDir?: string;
  /** Continue from the newest valid checkpoint in `outDir`. */
  readonly resume?: boolean;
  /** Tensor backend; default: BCL_BACKEND or the best available. */
  readonly backend?: BackendName;
  /** Subscribe to progress, metrics and logs (a fresh bus is made if omitted). */
  readonly events?: EventBus;
  /** Container holding the plugin registrations (default: tsyringe's root container). */
  readonly container?: DependencyContainer;
  /** Use this dataset instead of the recipe's (for programmatic use and tests). */
  readonly dataset?: IndexedDataset;
  /**
   * Aborting it stops the run after the current step with a checkpoint and an INTERRUPTED error
   * (the CLI aborts on SIGINT / SIGTERM).
   */
  readonly signal?: AbortSignal;
}

/** What `train` returns. */
export interface TrainResult extends TrainSummary {
  readonly recipe: ResolvedRecipe;
  readonly backend: string;
  readonly outDir?: string;
}

/**
 * Trains one recipe: the composition root of a run. It picks the backend, makes one child DI
 * container, provides the run's services, creates the method and add-on plugins, runs the
 * trainer, and disposes everything in reverse order of creation.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const parent = options.container ?? rootContainer;
  const recipe = typeof options.recipe === 'string' ? resolveRecipe(options.recipe, parent) : options.recipe;
  const events = options.events ?? new EventBus();
  const backend = await selectBackend(options.backend);
  events.log('info', `backend: ${backend.description}`);
  const folder = options.outDir ? openRunFolder(options.outDir, options.resume ?? false) : undefined;
  if (folder?.replacedLog) events.log('warn', `replaced ${folder.metricsFile}: it was left by a run that stopped before its first checkpoint`);
  const resumeFrom = folder && options.resume ? loadResumePoint(folder.checkpoints, recipe, events) : undefined;
  const dataset = await withSubsetFile(options.dataset ?? (await loadTrainingDataset(recipe.data.dataset, recipe.seed)), recipe.data.subsetFile);
  if (resumeFrom && resumeFrom.meta.datasetFingerprint !== dataset.fingerprint) {
    throw new BclError('RESUME_MISMATCH', `cannot resume: the dataset differs from the checkpoint's (fingerprint ${dataset.fingerprint.slice(0, 12)} vs ${resumeFrom.meta.datasetFingerprint.slice(0, 12)}).`);
  }
  events.log('info', `dataset: ${dataset.name}, ${dataset.size} samples`);
  checkRecipeFitsDataset(recipe, dataset);
  checkActivationMemory(recipe, dataset.imageShape, backend.name);

  if (folder && resumeFrom) rewindMetricsLog(folder.metricsFile, resumeFrom.meta.step, resumeFrom.meta.epoch);
  // Sinks first: rebuilding their files may fail, and then no listener is left behind.
  const detachSinks = folder ? attachMetricSinks(events, folder.dir, recipe.logging.sinks, resumeFrom ? metricsHistory(folder.metricsFile) : []) : undefined;
  const detachLog = folder ? attachMetricsLog(events, folder.metricsFile) : undefined;
  let composed: ComposedRun | undefined;
  let optimizer: Optimizer | undefined;
  let pipeline: ViewPipeline | undefined;
  let failed = false;
  try {
    composed = await composeRun(parent, recipe, dataset, events);
    const { method } = composed;
    if (recipe.initFrom !== undefined && !resumeFrom) {
      const init = initialiseFrom(recipe.initFrom, [...method.trainableVariables(), ...method.stateVariables()]);
      events.log('info', `init: ${init.copied} variables from ${init.checkpoint}${init.fresh.length > 0 ? `; ${init.fresh.length} new (${init.fresh.slice(0, 3).join(', ')}${init.fresh.length > 3 ? ', ...' : ''})` : ''}`);
    }
    optimizer = createOptimizer(recipe.optimizer, method.trainableVariables());
    if (folder) fs.writeFileSync(folder.recipeFile, JSON.stringify(recipe, null, 2) + '\n');

    pipeline = createViewPipeline(dataset, recipe, { views: composed.views, viewCount: method.views, method: recipe.method.name });
    if (pipeline.workers > 0) events.log('info', `data: ${pipeline.workers} augmentation worker${pipeline.workers > 1 ? 's' : ''}`);
    const summary = await new Trainer({
      recipe,
      recipeHash: hashRecipe(recipe),
      method,
      optimizer,
      hooks: new HookDriver(composed.hooks),
      events,
      dataset,
      pipeline,
      backend: backend.name,
      versions: { 'bcl-ssl': packageVersion(), '@tensorflow/tfjs': tf.version.tfjs },
      checkpoints: folder?.checkpoints,
      resumeFrom,
      stopRequested: () => options.signal?.aborted ?? false,
    }).run();
    return { ...summary, recipe, backend: backend.name, outDir: folder?.dir };
  } catch (error) {
    failed = true;
    if (!isOutOfMemory(error)) throw error;
    const { height, width, channels } = dataset.imageShape;
    throw outOfMemoryError(error, { backend: backend.name, batchSize: recipe.data.batchSize, image: `${height}x${width}x${channels}` });
  } finally {
    // After a failure (a wasm heap that ran out, above all) freeing may throw too; it must not
    // replace the error that says what went wrong.
    const release = async (free: () => unknown) => {
      try {
        await free();
      } catch (cleanupError) {
        if (!failed) throw cleanupError;
      }
    };
    await release(() => pipeline?.dispose());
    await release(() => optimizer?.dispose());
    await release(() => composed?.dispose());
    detachLog?.();
    detachSinks?.();
  }
}

/** `dataset` restricted to the indices of `recipe.data.subsetFile`, or unchanged when there is none. */
async function withSubsetFile(dataset: IndexedDataset, file: string | undefined): Promise<IndexedDataset> {
  if (file === undefined) return dataset;
  return subsetByIndices(dataset, await readNpyIndices(file), { name: `${dataset.name}(${path.basename(file)})` });
}

function loadResumePoint(store: ReturnType<typeof openRunFolder>['checkpoints'], recipe: ResolvedRecipe, events: EventBus): RestoredRun | undefined {
  const found = store.loadNewestValid<RunCheckpointMeta>((file, reason) => events.log('warn', `skipping checkpoint ${file}: ${reason}`));
  if (!found) {
    throw new BclError('CHECKPOINT_INVALID', `cannot resume: no valid checkpoint in ${store.dir}.`, { hint: 'Start the run again without --resume in a new folder.' });
  }
  const restored = decodeRunCheckpoint(fs.readFileSync(found.file), found.file);
  const differences = diffRecipes(restored.meta.recipe, recipe);
  const refused = differences.filter((d) => !d.harmless);
  if (refused.length > 0) {
    throw new BclError('RESUME_MISMATCH', `cannot resume ${found.file}: the recipe's meaning changed:\n  - ${refused.map((d) => `${d.path}: ${JSON.stringify(d.before)} -> ${JSON.stringify(d.after)}`).join('\n  - ')}`, {
      hint: 'Resume with the original recipe (saved as recipe.json in the run folder), or start a new run.',
    });
  }
  for (const d of differences) events.log('info', `resume: ${d.path} changed from ${JSON.stringify(d.before)} to ${JSON.stringify(d.after)} (harmless)`);
  events.log('info', `resuming from ${found.file}`);
  return restored;
}

function hashRecipe(recipe: ResolvedRecipe): string {
  return createHash('sha256').update(JSON.stringify(recipe)).digest('hex');
}

function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
