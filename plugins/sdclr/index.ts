import type { DependencyContainer } from 'tsyringe';
import { BackboneFactory, definePlugin, registerPlugin, RunEvents, RunRandom, z } from '../../core/index';
import { SdclrMethod, type SdclrOptions } from './sdclr-method';

export type { SdclrOptions } from './sdclr-method';
export { SdclrMethod } from './sdclr-method';
export { createPrunedBranch, type MaskedConv, type PrunedBranch, type PrunedBranchOptions } from './pruned-branch';
export { magnitudeThreshold, pruneByMagnitude, type PruningResult } from './magnitude-pruning';

/** Recipe options of `"method": { "name": "sdclr", ... }`, with the SDCLR/BCL authors' defaults. */
export const SdclrOptionsSchema = z.strictObject({
  /** NT-Xent temperature. Authors: 0.2. */
  temperature: z.number().gt(0).default(0.2),
  /** Fraction of conv weights pruned by global magnitude, recomputed each epoch. Authors: 0.9. */
  pruneRatio: z.number().min(0).lt(1).default(0.9),
  /** Projector output width. Authors: 128. */
  projectionDim: z.number().int().positive().default(128),
  /** Projector hidden width; 0 = the backbone's feature width (authors). */
  hiddenDim: z.number().int().min(0).default(0),
});

/**
 * The SDCLR method plugin: the method, plus an `onEpochStart` hook that prunes afresh from the
 * current weights before each epoch (a resume inside an epoch keeps the checkpointed masks).
 */
export const sdclrPlugin = definePlugin<SdclrOptions>({
  name: 'sdclr',
  kind: 'method',
  description: 'SDCLR: dense vs magnitude-pruned network, NT-Xent between them (Jiang et al. 2021)',
  options: SdclrOptionsSchema,
  create({ options, resolve }) {
    const backbone = resolve(BackboneFactory)('sdclr/backbone');
    const method = new SdclrMethod(backbone, resolve(RunRandom).stream('sdclr/projector'), options);
    const events = resolve(RunEvents);
    return {
      method,
      hooks: {
        onEpochStart: async ({ epoch }) => {
          const { pruned, total, threshold } = await method.prune();
          events.log('debug', `sdclr: epoch ${epoch} prunes ${pruned} of ${total} conv weights (|w| < ${threshold.toPrecision(3)})`);
        },
      },
      dispose: () => method.dispose(),
    };
  },
});

/** Makes `"sdclr"` available to recipes (in the root container unless `target` is given). */
export function registerSdclr(target?: DependencyContainer): void {
  registerPlugin(sdclrPlugin, target);
}
