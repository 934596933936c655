import * as fs from 'node:fs';
import * as path from 'node:path';
import { CheckpointStore } from '../checkpoint/checkpoint-store';
import { BclError } from '../errors';

/** The files of one run: `recipe.json`, `metrics.jsonl`, `checkpoints/`. */
export interface RunFolder {
  readonly dir: string;
  readonly recipeFile: string;
  readonly metricsFile: string;
  readonly checkpoints: CheckpointStore;
}

/**
 * Opens a run folder. A folder that already holds checkpoints is only reused with `resume`, so a
 * new run can never overwrite an old one's results.
 */
export function openRunFolder(dir: string, resume: boolean): RunFolder {
  const folder: RunFolder = {
    dir,
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
  fs.mkdirSync(dir, { recursive: true });
  folder.checkpoints.prepare();
  return folder;
}
