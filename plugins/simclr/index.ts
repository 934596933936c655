import type { DependencyContainer } from 'tsyringe';
import { BackboneFactory, definePlugin, registerPlugin, RunRandom, SIMCLR_BASE_PIPELINE, z } from '../../core/index';
import { SimclrMethod, type SimclrOptions } from './simclr-method';

export type { SimclrOptions } from './simclr-method';
export { SimclrMethod } from './simclr-method';

/** Recipe options of `"method": { "name": "simclr", ... }`, with the BCL authors' defaults. */
export const SimclrOptionsSchema = z.strictObject({
  temperature: z.number().gt(0).default(0.2),
  projectionDim: z.number().int().positive().default(128),
  hiddenDim: z.number().int().min(0).default(0),
});

/** The SimCLR method plugin definition. */
export const simclrPlugin = definePlugin<SimclrOptions>({
  name: 'simclr',
  kind: 'method',
  description: 'SimCLR: two views, NT-Xent over the batch (Chen et al. 2020)',
  options: SimclrOptionsSchema,
  create({ options, resolve }) {
    const backbone = resolve(BackboneFactory)('simclr/backbone');
    const method = new SimclrMethod(backbone, resolve(RunRandom).stream('simclr/projector'), options);
    // Two identical views of the SimCLR base pipeline (the recipe's `augmentation` sets its parameters).
    return { method, views: [{ pipeline: SIMCLR_BASE_PIPELINE }, { pipeline: SIMCLR_BASE_PIPELINE }], dispose: () => method.dispose() };
  },
});

/** Makes `"simclr"` available to recipes (in the root container unless `target` is given). */
export function registerSimclr(target?: DependencyContainer): void {
  registerPlugin(simclrPlugin, target);
}
