import type * as tf from '@tensorflow/tfjs';
import type { ResolvedRecipe } from '../../recipes/recipe-schema';
import { Lars } from './lars';
import type { Optimizer } from './optimizer';
import { Sgd } from './sgd';

/** Builds the optimizer a recipe names, over `variables`. */
export function createOptimizer(spec: ResolvedRecipe['optimizer'], variables: readonly tf.Variable[]): Optimizer {
  switch (spec.type) {
    case 'sgd':
      return new Sgd(variables, spec);
    case 'lars':
      return new Lars(variables, spec);
  }
}
