import 'reflect-metadata';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { selectBackend, type BackendName } from '../backends/select-backend';
import { decodeRunCheckpoint, type RestoredRun, type RunCheckpointMeta } from '../checkpoint/run-checkpoint';
import { createPolicyAugmentation, createBaseAugmentation } from '../data/augmentation-from-recipe';
import type { IndexedDataset } from '../data/dataset';
import { loadTrainingDataset } from '../data/load-dataset';
import { ViewPipeline } from '../data/view-pipeline';
import { runRandom, RunRandom } from '../di/run-random';
import { BackboneFactory, RunEvents, RunRecipe, TrainingDataset } from '../di/run-tokens';
import { provide, resolve } from '../di/token';
import { BclError } from '../errors';
import { EventBus } from '../events/event-bus';
import { HookDriver } from '../hooks/hook-driver';
import { createResNet } from '../models/resnet';
import type { Plugin, PluginSetup } from '../plugin/plugin-definition';
import { findPlugin } from '../plugin/plugin-registry';
import { diffRecipes } from '../recipes/recipe-diff';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { resolveRecipe } from '../recipes/resolve-recipe';
import { createOptimizer } from '../train/optimizers/create-optimizer';
import { Trainer, type TrainSummary } from '../train/trainer';
import { attachMetricsLog } from './metrics-log';
import { openRunFolder } from './run-folder';
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
  const resumeFrom = folder && options.resume ? loadResumePoint(folder.checkpoints, recipe, events) : undefined;
  const dataset = options.dataset ?? (await loadTrainingDataset(recipe.data.dataset, recipe.seed));
  if (resumeFrom && resumeFrom.meta.datasetFingerprint !== dataset.fingerprint) {
    throw new BclError('RESUME_MISMATCH', `cannot resume: the dataset differs from the checkpoint's (fingerprint ${dataset.fingerprint.slice(0, 12)} vs ${resumeFrom.meta.datasetFingerprint.slice(0, 12)}).`);
  }
  events.log('info', `dataset: ${dataset.name}, ${dataset.size} samples`);

  const run = parent.createChildContainer();
  const created: { dispose(): void }[] = [];
  const detachLog = folder ? attachMetricsLog(events, folder.metricsFile) : undefined;
  try {
    provide(run, RunRecipe, recipe);
    provide(run, RunEvents, events);
    provide(run, TrainingDataset, dataset);
    provide(run, RunRandom, runRandom(recipe.seed));
    provide(run, BackboneFactory, (owner: string) =>
      createResNet({
        name: owner,
        rng: resolve(run, RunRandom).stream(owner),
        depth: recipe.backbone.depth,
        stem: recipe.backbone.stem,
        baseWidth: recipe.backbone.width,
        inputChannels: dataset.imageShape.channels as 1 | 3,
      }),
    );

    const methodPlugin = await createPlugin(run, recipe.method, 'method', 'recipe.method', created);
    const method = methodPlugin.method;
    if (!method) {
      throw new BclError('PLUGIN_FAILED', 'a method plugin must return { method }.', { plugin: recipe.method.name, hook: 'create' });
    }
    const plugins = [{ plugin: recipe.method.name, hooks: methodPlugin.hooks ?? {} }];
    for (const [i, reference] of recipe.plugins.entries()) {
      const addon = await createPlugin(run, reference, 'addon', `recipe.plugins[${i}]`, created);
      plugins.push({ plugin: reference.name, hooks: addon.hooks ?? {} });
    }
    const optimizer = createOptimizer(recipe.optimizer, method.trainableVariables());
    created.push(optimizer);
    if (folder) fs.writeFileSync(folder.recipeFile, JSON.stringify(recipe, null, 2) + '\n');

    const pipeline = new ViewPipeline(dataset, {
      seed: recipe.seed,
      base: createBaseAugmentation(recipe.augmentation),
      policy: createPolicyAugmentation(),
      mean: recipe.data.mean,
      std: recipe.data.std,
    });
    const summary = await new Trainer({
      recipe,
      recipeHash: hashRecipe(recipe),
      method,
      optimizer,
      hooks: new HookDriver(plugins),
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
  } finally {
    for (const thing of created.reverse()) thing.dispose();
    detachLog?.();
    run.dispose();
  }
}

async function createPlugin(
  run: DependencyContainer,
  reference: { name: string } & Record<string, unknown>,
  kind: 'method' | 'addon',
  path: string,
  created: { dispose(): void }[],
): Promise<Plugin> {
  const definition = findPlugin(reference.name, kind, `${path}.name`, run);
  const { name: _name, ...raw } = reference;
  // Recipes given as objects may not have been through validateRecipe: parse (and default) here too.
  const options = definition.options.parse(raw);
  const setup: PluginSetup<unknown> = { options, container: run, resolve: (tok) => resolve(run, tok) };
  let plugin: Plugin;
  try {
    plugin = await definition.create(setup);
  } catch (error) {
    if (error instanceof BclError) throw error;
    throw new BclError('PLUGIN_FAILED', (error as Error).message, { plugin: reference.name, hook: 'create', cause: error });
  }
  if (plugin.dispose) created.push({ dispose: () => plugin.dispose!() });
  return plugin;
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
