import type { DependencyContainer } from 'tsyringe';
import { BackboneFactory, definePlugin, registerPlugin, RunRandom } from '../../core/index';
import { SimsiamMethod } from './simsiam-method';
import { SimsiamOptionsSchema, type SimsiamOptions } from './simsiam-options';

export { SimsiamMethod } from './simsiam-method';
export { SimsiamOptionsSchema, type SimsiamOptions } from './simsiam-options';
export { negativeCosine, stopGradient } from './simsiam-loss';

/** The SimSiam method plugin: a siamese network with a predictor and a stop-gradient, no hooks. */
export const simsiamPlugin = definePlugin<SimsiamOptions>({
  name: 'simsiam',
  kind: 'method',
  description: 'SimSiam: predictor + stop-gradient, no negatives, no momentum encoder (Chen & He 2021)',
  options: SimsiamOptionsSchema,
  create({ options, resolve }) {
    const backbone = resolve(BackboneFactory)('simsiam/backbone');
    const method = new SimsiamMethod(backbone, resolve(RunRandom), options);
    return { method, dispose: () => method.dispose() };
  },
});

/** Makes `"simsiam"` available to recipes (in the root container unless `target` is given). */
export function registerSimsiam(target?: DependencyContainer): void {
  registerPlugin(simsiamPlugin, target);
}
