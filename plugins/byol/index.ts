import type { DependencyContainer } from 'tsyringe';
import { BackboneFactory, definePlugin, registerPlugin, RunRandom } from '../../core/index';
import { ByolMethod } from './byol-method';
import { ByolOptionsSchema, type ByolOptions } from './byol-options';
import { BYOL_VIEWS } from './byol-views';

export { ByolMethod, type ByolParts } from './byol-method';
export { ByolOptionsSchema, type ByolOptions } from './byol-options';
export { regressionLoss, targetMomentum } from './byol-loss';
export { BYOL_VIEWS } from './byol-views';

/**
 * The BYOL method plugin: an online network regresses a moving-average target's projection of the
 * other view. Its `onAfterStep` moves the target with the step's tau (run length from `RunInfo`).
 */
export const byolPlugin = definePlugin<ByolOptions>({
  name: 'byol',
  kind: 'method',
  description: 'BYOL: online network predicts a moving-average target, no negatives (Grill et al. 2020)',
  options: ByolOptionsSchema,
  create({ options, resolve }) {
    const makeBackbone = resolve(BackboneFactory);
    const onlineBackbone = makeBackbone('byol/online/backbone');
    const targetBackbone = makeBackbone('byol/target/backbone');
    const method = new ByolMethod({ onlineBackbone, targetBackbone, random: resolve(RunRandom) }, options);
    return {
      method,
      views: BYOL_VIEWS,
      hooks: { onAfterStep: ({ run, step }) => void method.afterStep(step, run.epochs * run.stepsPerEpoch) },
      dispose: () => method.dispose(),
    };
  },
});

/** Makes `"byol"` available to recipes (in the root container unless `target` is given). */
export function registerByol(target?: DependencyContainer): void {
  registerPlugin(byolPlugin, target);
}
