// An add-on implementing every hook, for the contract suite (core/contract/run-plugin-contract.ts) and the hook-order tests.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { HookName, PluginHooks } from '../hooks/trainer-hooks';
import { definePlugin, type PluginDefinition } from '../plugin/plugin-definition';

/** What the recorder saw: the hook call sequence and the live tensor count after every step. */
export interface Recording {
  readonly calls: string[];
  readonly tensorsAfterStep: number[];
  /** Views per sample of the run's method (from onTrainStart). */
  views?: number;
}

/** An add-on implementing every hook, recording each call with the identifying part of its payload. */
export function recorderPlugin(recording: Recording): PluginDefinition<Record<string, never>> {
  return definePlugin({
    name: 'recorder',
    kind: 'addon',
    description: 'records the hook call sequence',
    options: z.strictObject({}),
    create() {
      const record = (hook: HookName, detail = ''): void => void recording.calls.push(detail ? `${hook} ${detail}` : hook);
      const hooks: Required<PluginHooks> = {
        onTrainStart: (c) => {
          recording.views = c.run.views;
          record('onTrainStart', `from epoch ${c.startEpoch}`);
        },
        onEpochStart: (c) => record('onEpochStart', `e${c.epoch}`),
        onBatchStart: (c) => record('onBatchStart', `e${c.epoch} b${c.batch} s${c.step}`),
        augmentationPolicy: (policy, c) => {
          record('augmentationPolicy', `s${c.step}`);
          return policy;
        },
        transformLoss: (loss, c) => {
          record('transformLoss', `s${c.step} [${loss.shape}]`);
          return loss;
        },
        onBatchLoss: (c) => record('onBatchLoss', `s${c.step} n${c.losses.length} idx${c.indices.length}`),
        onAfterStep: (c) => {
          record('onAfterStep', `s${c.step}`);
          recording.tensorsAfterStep.push(tf.memory().numTensors);
        },
        onEpochEnd: (c) => record('onEpochEnd', `e${c.epoch}`),
        onTrainEnd: () => record('onTrainEnd'),
        stateSnapshot: () => {
          record('stateSnapshot');
          return {};
        },
        onStateRestore: () => record('onStateRestore'),
      };
      return { hooks };
    },
  });
}

/** The pinned lifecycle of `epochs` epochs of `batches` batches of `batchSize` samples with `views` views. */
export function goldenSequence(epochs: number, batches: number, batchSize: number, views: number): string[] {
  const out = ['onTrainStart from epoch 1'];
  let step = 0;
  for (let e = 1; e <= epochs; e++) {
    out.push(`onEpochStart e${e}`);
    for (let b = 0; b < batches; b++, step++) {
      out.push(
        `onBatchStart e${e} b${b} s${step}`,
        `augmentationPolicy s${step}`,
        `transformLoss s${step} [${views},${batchSize}]`,
        `onBatchLoss s${step} n${batchSize} idx${batchSize}`,
        `onAfterStep s${step}`,
      );
    }
    out.push(`onEpochEnd e${e}`);
  }
  out.push('onTrainEnd');
  return out;
}
