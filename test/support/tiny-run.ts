import * as tf from '@tensorflow/tfjs';
import { container, type DependencyContainer } from 'tsyringe';
import { registerSimclr } from '../../plugins/simclr/index';
import { validateRecipe, type ResolvedRecipe } from '../../core/index';

/**
 * A container holding SimCLR plus whatever `register` adds, isolated from other tests, and the
 * smallest SimCLR recipe that still runs every hook: 8 synthetic 8x8 images, batch 4, two epochs.
 */
export function tinySetup(extra: Record<string, unknown> = {}, register?: (c: DependencyContainer) => void): { registry: DependencyContainer; recipe: ResolvedRecipe } {
  const registry = container.createChildContainer();
  registerSimclr(registry);
  register?.(registry);
  const recipe = validateRecipe(
    {
      method: { name: 'simclr', projectionDim: 8 },
      backbone: { depth: 18, width: 2 },
      data: { dataset: { type: 'synthetic', size: 8, height: 8, width: 8, channels: 3, numClasses: 2 }, batchSize: 4 },
      epochs: 2,
      schedule: { warmupEpochs: 1 },
      logging: { everySteps: 1 },
      ...extra,
    },
    'tiny recipe',
    registry,
  );
  return { registry, recipe };
}

/** Every variable of a run, read to the host, by name (call before the run disposes them). */
export function snapshotVariables(): Map<string, Float32Array> {
  const registered = tf.engine().registeredVariables;
  return new Map(Object.entries(registered).map(([name, v]) => [name, v.dataSync().slice() as Float32Array]));
}
