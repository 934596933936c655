import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import type { BackendName } from '../backends/select-backend';
import { CheckpointStore } from '../checkpoint/checkpoint-store';
import type { RunCheckpointMeta } from '../checkpoint/run-checkpoint';
import { BclError } from '../errors';
import { EventBus } from '../events/event-bus';
import { diffRecipes } from '../recipes/recipe-diff';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { train } from './train';

/** What a stage needed in this invocation: nothing (already trained), a resume, or a fresh run. */
export type StageStatus = 'complete' | 'resumed' | 'trained';

/** What a job of several runs (a study, a DnC job) passes to each of its runs. */
export interface JobRunOptions {
  /** Container holding the plugin registrations (default: tsyringe's root container). */
  readonly container?: DependencyContainer;
  readonly backend?: BackendName;
  /** Aborting stops the running run after its step with a checkpoint (INTERRUPTED); rerun the job to continue. */
  readonly signal?: AbortSignal;
  /** Called with each run's event bus and batch size (e.g. a progress bar); returns its detach function. */
  readonly attach?: (events: EventBus, batchSize: number) => () => void;
  /** Told what the job is doing. */
  readonly log?: (line: string) => void;
}

/** Options of {@link trainStage}. */
export interface TrainStageOptions extends JobRunOptions {
  /** The stage's run folder. */
  readonly dir: string;
  readonly recipe: ResolvedRecipe;
  /** Names the stage in log lines, e.g. `cell 3/12 simclr perm 1 seed 0`. */
  readonly label?: string;
}

/**
 * Brings one run folder of a multi-run job (a study cell, a DnC stage) to its recipe's last epoch:
 * nothing when it is there, a resume from the newest valid checkpoint when it stopped early, a
 * fresh run when it has none. A folder trained with another recipe is refused, not reused.
 */
export async function trainStage(options: TrainStageOptions): Promise<StageStatus> {
  const { dir, recipe } = options;
  checkSameRecipe(dir, recipe);
  const progress = trainedEpochs(dir);
  if (progress !== undefined && progress.epoch >= recipe.epochs && progress.positionInEpoch === 0) return 'complete';
  const status: StageStatus = progress === undefined ? 'trained' : 'resumed';
  const where = progress === undefined ? 'training' : `resuming from epoch ${progress.epoch}${progress.positionInEpoch ? ` batch ${progress.positionInEpoch}` : ''}`;
  options.log?.(`${options.label ?? dir}: ${where} (${recipe.epochs} epochs) in ${dir}`);
  const events = new EventBus();
  const detach = options.attach?.(events, recipe.data.batchSize);
  try {
    await train({ recipe, outDir: dir, resume: progress !== undefined, backend: options.backend, events, container: options.container, signal: options.signal });
  } finally {
    detach?.();
  }
  return status;
}

/** The newest valid checkpoint's position, or undefined when the folder has none. */
function trainedEpochs(dir: string): Pick<RunCheckpointMeta, 'epoch' | 'positionInEpoch'> | undefined {
  const found = new CheckpointStore(path.join(dir, 'checkpoints')).loadNewestValid<RunCheckpointMeta>(() => undefined);
  if (!found) return undefined;
  const { epoch, positionInEpoch } = found.checkpoint.meta;
  return { epoch, positionInEpoch };
}

/** A folder trained with another recipe (the job's file was edited) is refused, not silently reused. */
export function checkSameRecipe(dir: string, recipe: ResolvedRecipe): void {
  const file = path.join(dir, 'recipe.json');
  if (!fs.existsSync(file)) return;
  const before: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const changed = diffRecipes(before, recipe).filter((d) => !d.harmless);
  if (changed.length > 0) {
    throw new BclError('RESUME_MISMATCH', `${dir} was trained with another recipe than the job now asks for:\n  - ${changed.map((d) => `${d.path}: ${JSON.stringify(d.before)} -> ${JSON.stringify(d.after)}`).join('\n  - ')}`, {
      hint: 'Restore the job file, or give the changed job another --out folder (or delete that run folder to retrain it).',
    });
  }
}
