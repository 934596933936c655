import type { DependencyContainer } from 'tsyringe';
import { definePlugin, registerPlugin, RunEvents, TrainingDataset, z, type PluginState } from '../../core/index';
import { boostedPolicy, type BoostedAugmentationOptions } from './boosted-policy';
import { MemorizationTracker } from './memorization-tracker';
import { meanScoreHeadToTail, scoreHistogram } from './score-summary';

export { MemorizationTracker } from './memorization-tracker';
export { boostedPolicy, boostedStep, strengthDraw, type BoostContext, type BoostedAugmentationOptions } from './boosted-policy';

/** Options of BCL (recipe `plugins: [{ "name": "bcl", ... }]`), defaults from the authors' code. */
export interface BclOptions extends BoostedAugmentationOptions {
  /** Momentum of the per-sample loss average. Authors: 0.97. */
  readonly beta: number;
}

export const BclOptionsSchema = z
  .strictObject({
    beta: z.number().min(0).lt(1).default(0.97),
    ops: z.number().int().min(1).max(15).default(1),
    magnitudeMin: z.number().min(0).max(30).default(10),
    magnitudeMax: z.number().min(0).max(30).default(30),
    randomStrength: z.boolean().default(false),
    uniformScore: z.number().min(0).max(1).nullable().default(null),
  })
  .refine((o) => o.magnitudeMin <= o.magnitudeMax, { message: 'magnitudeMin must be <= magnitudeMax', path: ['magnitudeMin'] });

/**
 * BCL: tracks each sample's memorization through `onBatchLoss` / `onEpochEnd` and boosts the
 * augmentation of hard (high-score) samples through `augmentationPolicy`. Works with any method
 * that gives per-sample losses; adding `{ "name": "bcl" }` to a recipe's plugins is all it takes.
 */
export const bclPlugin = definePlugin<BclOptions>({
  name: 'bcl',
  kind: 'addon',
  description: 'Boosted Contrastive Learning: memorization-boosted RandAugment for long-tailed data (Zhou et al. 2022)',
  options: BclOptionsSchema,
  create({ options, resolve }) {
    const tracker = new MemorizationTracker(resolve(TrainingDataset).size, options.beta);
    const events = resolve(RunEvents);
    return {
      hooks: {
        augmentationPolicy: (policy, { run, epoch }) => boostedPolicy(policy, { seed: run.seed, epoch, scores: tracker.scores }, options),
        onBatchLoss: ({ indices, losses }) => tracker.update(indices, losses),
        onEpochEnd: ({ run, epoch }) => {
          const scores = tracker.computeScores();
          const values: Record<string, number | number[]> = { 'bcl/scoreHistogram': scoreHistogram(scores, tracker.seen) };
          if (run.classCounts.length > 0) {
            const byClass = meanScoreHeadToTail(scores, tracker.seen, run.labels, run.classCounts);
            values['bcl/classesHeadToTail'] = byClass.classes;
            values['bcl/meanScoreHeadToTail'] = byClass.meanScore;
          }
          events.emit('metrics', { scope: 'epoch', epoch, step: epoch * run.stepsPerEpoch - 1, values });
        },
        stateSnapshot: (): PluginState => ({
          momentumLoss: tracker.momentumLoss,
          seen: tracker.seen,
          scores: tracker.scores,
        }),
        onStateRestore: (state) => {
          restoreArray(tracker.momentumLoss, state.momentumLoss, 'momentumLoss');
          restoreArray(tracker.seen, state.seen, 'seen');
          restoreArray(tracker.scores, state.scores, 'scores');
        },
      },
    };
  },
});

function restoreArray(target: Float64Array | Float32Array | Uint8Array, saved: unknown, name: string): void {
  if (!ArrayBuffer.isView(saved) || (saved as Float64Array).length !== target.length) {
    throw new Error(`checkpoint's bcl state "${name}" has ${ArrayBuffer.isView(saved) ? (saved as Float64Array).length : 'no'} entries, but the dataset has ${target.length} samples`);
  }
  target.set(saved as Float64Array);
}

/** Makes `"bcl"` available to recipes (in the root container unless `target` is given). */
export function registerBcl(target?: DependencyContainer): void {
  registerPlugin(bclPlugin, target);
}
