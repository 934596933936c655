import type { DependencyContainer } from 'tsyringe';
import { BackboneFactory, BclError, definePlugin, registerPlugin, RunRandom, RunRecipe, TrainingDataset } from '../../core/index';
import { MocoMethod } from './moco-method';
import { MocoOptionsSchema, type MocoOptions } from './moco-options';

export { MocoMethod, type MocoParts } from './moco-method';
export { MocoOptionsSchema, type MocoOptions } from './moco-options';
export { enqueue, infoNcePerSample } from './moco-loss';

/**
 * The MoCo v2 method plugin: a query encoder trained with InfoNCE against a momentum key encoder
 * and a queue of negatives. Its `onAfterStep` moves the key encoder and enqueues the step's keys.
 */
export const mocoPlugin = definePlugin<MocoOptions>({
  name: 'moco',
  kind: 'method',
  description: 'MoCo v2: momentum key encoder and a queue of negatives, symmetric InfoNCE (He et al. 2020, Chen et al. 2020)',
  options: MocoOptionsSchema,
  create({ options, resolve }) {
    // Checked before any variable exists: one step enqueues 2 keys per sample.
    const batchSize = Math.min(resolve(RunRecipe).data.batchSize, resolve(TrainingDataset).size);
    if (options.queueSize < 2 * batchSize) {
      throw new BclError('RECIPE_INVALID', `recipe.method.queueSize must be >= 2 x batch size (${2 * batchSize}), but got ${options.queueSize}.`, {
        plugin: 'moco',
        hook: 'create',
        hint: 'MoCo enqueues both views\' keys every step; use a larger queue or a smaller batch.',
      });
    }
    const makeBackbone = resolve(BackboneFactory);
    const queryBackbone = makeBackbone('moco/query/backbone');
    const keyBackbone = makeBackbone('moco/key/backbone');
    const method = new MocoMethod({ queryBackbone, keyBackbone, random: resolve(RunRandom) }, options);
    return { method, hooks: { onAfterStep: () => method.afterStep() }, dispose: () => method.dispose() };
  },
});

/** Makes `"moco"` available to recipes (in the root container unless `target` is given). */
export function registerMoco(target?: DependencyContainer): void {
  registerPlugin(mocoPlugin, target);
}
