import type { DependencyContainer } from 'tsyringe';
import { BackboneFactory, definePlugin, registerPlugin, RunRandom, z } from '../../core/index';
import { BarlowTwinsMethod, type BarlowTwinsOptions } from './barlow-twins-method';

export type { BarlowTwinsOptions } from './barlow-twins-method';
export { BarlowTwinsMethod } from './barlow-twins-method';
export { barlowTwinsPerSample, standardiseOverBatch } from './barlow-twins-loss';

/** Recipe options of `"method": { "name": "barlow-twins", ... }`; paper values in the comments. */
export const BarlowTwinsOptionsSchema = z.strictObject({
  /** Off-diagonal weight. Authors' code: 0.0051 (paper text: 5e-3). */
  lambda: z.number().min(0).default(0.0051),
  /** Linear layers in the projector. Paper: 3. */
  projectorLayers: z.number().int().min(1).default(3),
  /** Hidden width; 0 = 4 x backbone feature width (paper: 8192 = 4 x 2048). */
  hiddenDim: z.number().int().min(0).default(0),
  /** Embedding width; 0 = 4 x backbone feature width (paper: 8192). */
  projectionDim: z.number().int().min(0).default(0),
});

/** The Barlow Twins method plugin definition. */
export const barlowTwinsPlugin = definePlugin<BarlowTwinsOptions>({
  name: 'barlow-twins',
  kind: 'method',
  description: 'Barlow Twins: cross-correlation of two views driven to the identity (Zbontar et al. 2021)',
  options: BarlowTwinsOptionsSchema,
  create({ options, resolve }) {
    const backbone = resolve(BackboneFactory)('barlow-twins/backbone');
    const method = new BarlowTwinsMethod(backbone, resolve(RunRandom).stream('barlow-twins/projector'), options);
    return { method, dispose: () => method.dispose() };
  },
});

/** Makes `"barlow-twins"` available to recipes (in the root container unless `target` is given). */
export function registerBarlowTwins(target?: DependencyContainer): void {
  registerPlugin(barlowTwinsPlugin, target);
}
