import * as tf from '@tensorflow/tfjs';
import { BclError } from '../errors';
import type { PluginState } from '../hooks/contexts';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { decodeCheckpoint, encodeCheckpoint, type DecodedCheckpoint, type NamedArray } from './checkpoint-format';
import { joinPluginStates, splitPluginStates } from './plugin-state-codec';

/** JSON metadata of a training checkpoint. */
export interface RunCheckpointMeta {
  readonly recipe: ResolvedRecipe;
  readonly recipeHash: string;
  readonly datasetFingerprint: string;
  readonly backend: string;
  readonly versions: Record<string, string>;
  /** Epochs fully completed. */
  readonly epoch: number;
  /** Global optimizer steps completed. */
  readonly step: number;
  /** Batches completed inside the current (epoch + 1) epoch; 0 at epoch boundaries. */
  readonly positionInEpoch: number;
  /** Sum of the current epoch's step losses so far (0 at epoch boundaries). */
  readonly epochLossSum: number;
  readonly pluginStates: unknown;
  readonly createdAt: string;
}

/** Everything a checkpoint captures, with tensors still on the device. */
export interface RunSnapshot {
  readonly meta: Omit<RunCheckpointMeta, 'pluginStates' | 'createdAt'>;
  /** Every variable to save: weights, BatchNorm statistics, optimizer buffers. */
  readonly variables: readonly tf.Variable[];
  readonly pluginStates: Record<string, PluginState>;
}

/**
 * Reads variables to the host (asynchronously: GPU backends have no synchronous read) and
 * serialises a snapshot (refusing non-finite weights). The reads are issued together, so a GPU
 * copies every buffer before the first one is awaited.
 */
export async function encodeRunCheckpoint(snapshot: RunSnapshot): Promise<Buffer> {
  const values = await Promise.all(snapshot.variables.map((v) => v.data() as Promise<Float32Array | Int32Array>));
  const arrays: NamedArray[] = snapshot.variables.map((v, i) => ({ name: `var:${v.name}`, shape: v.shape, data: values[i] }));
  const plugins = splitPluginStates(snapshot.pluginStates);
  const meta: RunCheckpointMeta = { ...snapshot.meta, pluginStates: plugins.json, createdAt: new Date().toISOString() };
  return encodeCheckpoint(meta, [...arrays, ...plugins.arrays]);
}

/** A checkpoint read back: metadata, plugin states, and a function that loads weights into variables. */
export interface RestoredRun {
  readonly meta: RunCheckpointMeta;
  readonly pluginStates: Record<string, PluginState>;
  /** Assigns every variable its saved value; errors name missing or misshapen variables. */
  restoreVariables(variables: readonly tf.Variable[]): void;
}

/** Interprets a decoded checkpoint as a training run. */
export function readRunCheckpoint(decoded: DecodedCheckpoint<RunCheckpointMeta>, source: string): RestoredRun {
  return {
    meta: decoded.meta,
    pluginStates: joinPluginStates(decoded.meta.pluginStates, decoded.arrays),
    restoreVariables(variables) {
      for (const variable of variables) {
        const saved = decoded.arrays.get(`var:${variable.name}`);
        if (!saved) {
          throw new BclError('CHECKPOINT_INVALID', `${source} has no value for variable "${variable.name}".`, {
            hint: 'The checkpoint was written by a different model; start a new run folder.',
          });
        }
        if (saved.shape.join('x') !== variable.shape.join('x')) {
          throw new BclError('CHECKPOINT_INVALID', `${source}: variable "${variable.name}" has shape [${saved.shape}], the model expects [${variable.shape}].`);
        }
        tf.tidy(() => variable.assign(tf.tensor(saved.data as Float32Array, variable.shape, variable.dtype)));
      }
    },
  };
}

/** Decodes a checkpoint buffer as a run checkpoint. */
export function decodeRunCheckpoint(file: Buffer, source: string): RestoredRun {
  return readRunCheckpoint(decodeCheckpoint<RunCheckpointMeta>(file, source), source);
}
