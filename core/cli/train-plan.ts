import * as fs from 'node:fs';
import * as path from 'node:path';
import { CheckpointStore } from '../checkpoint/checkpoint-store';
import type { RunCheckpointMeta } from '../checkpoint/run-checkpoint';
import { BclError } from '../errors';
import { diffRecipes } from '../recipes/recipe-diff';
import type { ResolvedRecipe } from '../recipes/recipe-schema';

/** The recipe `bcl train` runs when none is named: SimCLR on the embedded Fashion-MNIST-LT set. */
export const DEFAULT_RECIPE = 'simclr_resnet18-w8_b128-cos-5e_fashion-mnist-lt-embedded';

/** The flags of `bcl train` that decide which recipe and run folder. */
export interface TrainTarget {
  readonly recipe?: string;
  readonly out?: string;
  readonly resume: boolean;
}

/**
 * Which recipe and run folder `bcl train` uses. A recipe named on the command line wins; with
 * `--resume` and no `--recipe`, the run folder's own recipe.json (what the run was started with,
 * overrides included); otherwise the default recipe. The run folder defaults to `runs/<recipe name>`.
 */
export function planTrain(target: TrainTarget): { recipe: string; outDir: string } {
  const named = target.recipe ?? DEFAULT_RECIPE;
  const outDir = target.out ?? path.join('runs', path.basename(named, '.json'));
  if (target.recipe !== undefined || !target.resume) return { recipe: named, outDir };
  const saved = path.join(outDir, 'recipe.json');
  if (!fs.existsSync(saved)) {
    throw new BclError('USAGE', `cannot resume ${outDir}: it has no recipe.json.`, {
      hint: `Pass the run folder written by bcl train with --out, or name the recipe with --recipe.`,
    });
  }
  return { recipe: saved, outDir };
}

/**
 * The newest valid checkpoint's position when it already covers every epoch of `recipe` (nothing
 * left to train) and was made by a recipe of the same meaning, else undefined. A changed recipe
 * goes on to the resume, which refuses it listing the fields; invalid checkpoints are skipped
 * silently here, as the resume reports them.
 */
export function completedRun(outDir: string, recipe: ResolvedRecipe): { epoch: number; step: number; file: string } | undefined {
  const store = new CheckpointStore(path.join(outDir, 'checkpoints'));
  if (!fs.existsSync(store.dir)) return undefined;
  const found = store.loadNewestValid<RunCheckpointMeta>(() => undefined);
  if (!found) return undefined;
  const { epoch, step, positionInEpoch } = found.checkpoint.meta;
  if (diffRecipes(found.checkpoint.meta.recipe, recipe).some((d) => !d.harmless)) return undefined;
  return epoch >= recipe.epochs && positionInEpoch === 0 ? { epoch, step, file: found.file } : undefined;
}

/** Flags that a resume must repeat to run the same way (the recipe is in the run folder). */
export interface ResumeFlags {
  readonly backend?: string;
  readonly threads?: number;
  readonly plugin?: readonly string[];
}

/** The exact command that continues the run in `outDir`, shell-quoted. */
export function resumeCommand(outDir: string, flags: ResumeFlags = {}): string {
  const parts = ['bcl', 'train', '--resume', '--out', outDir];
  if (flags.backend) parts.push('--backend', flags.backend);
  if (flags.threads !== undefined) parts.push('--threads', String(flags.threads));
  for (const plugin of flags.plugin ?? []) parts.push('--plugin', plugin);
  return parts.map(shellQuote).join(' ');
}

/** `bcl eval <dir>` (with the `--plugin`s the run needed), shell-quoted: what to run after training. */
export function evalCommand(outDir: string, plugins: readonly string[] = []): string {
  return ['bcl', 'eval', outDir, ...plugins.flatMap((p) => ['--plugin', p])].map(shellQuote).join(' ');
}

/** A word as POSIX sh reads it back unchanged. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
