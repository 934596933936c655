import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CheckpointStore } from '../checkpoint/checkpoint-store';
import { decodeCheckpoint } from '../checkpoint/checkpoint-format';
import type { RunCheckpointMeta } from '../checkpoint/run-checkpoint';
import { BclError } from '../errors';

/** What {@link initialiseFrom} copied. */
export interface InitSummary {
  /** The checkpoint file the weights came from. */
  readonly checkpoint: string;
  /** Variables that took a saved value. */
  readonly copied: number;
  /** Variables with no saved twin (they keep their fresh initialisation), by name. */
  readonly fresh: readonly string[];
}

/**
 * Starts a fresh run from another run's weights (`recipe.initFrom`): `source` is a run folder
 * (its newest valid checkpoint) or a checkpoint file. Every variable with a saved twin of the same
 * name takes its value; a twin of another shape is an error, since it means another architecture.
 * Variables without a twin keep their initialisation (new heads); none copied at all is an error.
 */
export function initialiseFrom(source: string, variables: readonly tf.Variable[]): InitSummary {
  const file = checkpointOf(source);
  const decoded = decodeCheckpoint<RunCheckpointMeta>(fs.readFileSync(file), file);
  const fresh: string[] = [];
  let copied = 0;
  for (const variable of variables) {
    const saved = decoded.arrays.get(`var:${variable.name}`);
    if (!saved) {
      fresh.push(variable.name);
      continue;
    }
    if (saved.shape.join('x') !== variable.shape.join('x')) {
      throw new BclError('RECIPE_INVALID', `recipe.initFrom: ${file} holds "${variable.name}" with shape [${saved.shape.join(', ')}], but this run's model has [${variable.shape.join(', ')}].`, {
        hint: 'initFrom needs a run of the same backbone (depth, width, input channels); start from scratch or pick a matching run.',
      });
    }
    tf.tidy(() => variable.assign(tf.tensor(saved.data as Float32Array | Int32Array, variable.shape, variable.dtype)));
    copied++;
  }
  if (copied === 0) {
    throw new BclError('RECIPE_INVALID', `recipe.initFrom: ${file} has none of this run's variables (first one: "${variables[0]?.name ?? 'none'}").`, {
      hint: "initFrom needs a run of the same method plugin, whose variable names (e.g. simclr/backbone/...) match this run's.",
    });
  }
  return { checkpoint: file, copied, fresh };
}

/** The checkpoint file `source` names: itself, or a run folder's newest valid checkpoint. */
function checkpointOf(source: string): string {
  if (!fs.existsSync(source)) {
    throw new BclError('RECIPE_INVALID', `recipe.initFrom: ${source} does not exist.`, { hint: 'Name a run folder written by bcl train, or one of its checkpoint files.' });
  }
  if (!fs.statSync(source).isDirectory()) return source;
  const found = new CheckpointStore(path.join(source, 'checkpoints')).loadNewestValid<RunCheckpointMeta>(() => undefined);
  if (!found) {
    throw new BclError('CHECKPOINT_INVALID', `recipe.initFrom: ${source} has no valid checkpoint.`, { hint: 'Train that run (at least one epoch) first.' });
  }
  return found.file;
}
