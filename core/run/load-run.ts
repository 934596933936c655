import * as fs from 'node:fs';
import * as path from 'node:path';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { selectBackend, type BackendName } from '../backends/select-backend';
import { CheckpointStore } from '../checkpoint/checkpoint-store';
import { decodeRunCheckpoint, type RunCheckpointMeta } from '../checkpoint/run-checkpoint';
import type { IndexedDataset } from '../data/dataset';
import { loadTrainingDataset } from '../data/load-dataset';
import { BclError } from '../errors';
import { EventBus } from '../events/event-bus';
import type { SslMethod } from '../plugin/ssl-method';
import { readRecipeFile } from '../recipes/recipe-loader';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { validateRecipe } from '../recipes/resolve-recipe';
import { composeRun } from './compose-run';

/** A trained run, loaded for evaluation: its recipe, training set and method with trained weights. */
export interface LoadedRun {
  readonly dir: string;
  readonly recipe: ResolvedRecipe;
  readonly dataset: IndexedDataset;
  /** The method with the checkpoint's weights and BatchNorm statistics; `encode` gives features. */
  readonly method: SslMethod;
  readonly checkpoint: string;
  readonly checkpointMeta: RunCheckpointMeta;
  readonly metricsFile: string;
  /** Frees the method's variables. */
  dispose(): void;
}

/** Options of `loadRun`. */
export interface LoadRunOptions {
  readonly container?: DependencyContainer;
  readonly backend?: BackendName;
  /** A checkpoint file to load instead of the run's newest valid one. */
  readonly checkpoint?: string;
}

/**
 * Loads a run folder written by `train` (recipe.json + checkpoints/): rebuilds its method from the
 * recipe and restores the newest valid checkpoint's weights into it.
 */
export async function loadRun(dir: string, options: LoadRunOptions = {}): Promise<LoadedRun> {
  const recipeFile = path.join(dir, 'recipe.json');
  if (!fs.existsSync(recipeFile)) {
    throw new BclError('USAGE', `${dir} is not a run folder (no recipe.json).`, { hint: 'Pass a folder written by bcl train (e.g. runs/<recipe>).' });
  }
  const registry = options.container ?? rootContainer;
  const recipe = validateRecipe(readRecipeFile(recipeFile), recipeFile, registry);
  await selectBackend(options.backend);
  const store = new CheckpointStore(path.join(dir, 'checkpoints'));
  const events = new EventBus();
  let file = options.checkpoint;
  if (!file) {
    const found = store.loadNewestValid<RunCheckpointMeta>((bad, reason) => process.stderr.write(`skipping checkpoint ${bad}: ${reason}\n`));
    if (!found) throw new BclError('CHECKPOINT_INVALID', `${dir} has no valid checkpoint.`, { hint: 'Train the run (at least one epoch) first.' });
    file = found.file;
  }
  const restored = decodeRunCheckpoint(fs.readFileSync(file), file);
  const dataset = await loadTrainingDataset(recipe.data.dataset, recipe.seed);
  const composed = await composeRun(registry, recipe, dataset, events);
  try {
    restored.restoreVariables([...composed.method.trainableVariables(), ...composed.method.stateVariables()]);
  } catch (error) {
    composed.dispose();
    throw error;
  }
  return {
    dir,
    recipe,
    dataset,
    method: composed.method,
    checkpoint: file,
    checkpointMeta: restored.meta,
    metricsFile: path.join(dir, 'metrics.jsonl'),
    dispose: () => composed.dispose(),
  };
}
