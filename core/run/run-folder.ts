import * as fs from 'node:fs';
import * as path from 'node:path';
import { CheckpointStore } from '../checkpoint/checkpoint-store';
import { BclError } from '../errors';

/** The files of one run: `recipe.json`, `metrics.jsonl`, `checkpoints/`. */
export interface RunFolder {
  readonly dir: string;
  /** True when a fresh start removed a stale metrics.jsonl left by a run without checkpoints. */
  readonly replacedLog: boolean;
  readonly recipeFile: string;
  readonly metricsFile: string;
  readonly checkpoints: CheckpointStore;
}

/**
 * Opens a run folder. A folder that already holds checkpoints is only reused with `resume`, so a
 * new run can never overwrite an old one's results. A fresh start in a folder without checkpoints
 * (a run killed before its first one) replaces that run's `metrics.jsonl`, which describes steps
 * the new run redoes; `replacedLog` says so. A folder that cannot be created or written is
 * `IO_FAILED` naming the path and the system's reason (EROFS, EACCES, ENOSPC, ...).
 */
export function openRunFolder(dir: string, resume: boolean): RunFolder {
  const folder = {
    dir,
    replacedLog: false,
    recipeFile: path.join(dir, 'recipe.json'),
    metricsFile: path.join(dir, 'metrics.jsonl'),
    checkpoints: new CheckpointStore(path.join(dir, 'checkpoints')),
  };
  const hasCheckpoints = folder.checkpoints.list().length > 0;
  if (hasCheckpoints && !resume) {
    throw new BclError('USAGE', `run folder ${dir} already holds checkpoints.`, {
      hint: 'Pass --resume to continue that run, or --out to start a new one elsewhere.',
    });
  }
  if (resume && !fs.existsSync(folder.checkpoints.dir)) {
    throw new BclError('USAGE', `cannot resume: ${dir} has no checkpoints.`, { hint: 'Run without --resume to start it.' });
  }
  try {
    fs.mkdirSync(dir, { recursive: true });
    folder.checkpoints.prepare();
    if (!resume && fs.existsSync(folder.metricsFile)) {
      fs.rmSync(folder.metricsFile);
      folder.replacedLog = true;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new BclError('IO_FAILED', `cannot use run folder ${dir} (${code}: ${(error as Error).message}).`, {
      cause: error,
      hint: 'Choose a writable folder with --out (EROFS: read-only file system; EACCES: permissions; ENOSPC: disk full).',
    });
  }
  return folder;
}
