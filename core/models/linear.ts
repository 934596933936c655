import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng';
import { uniformSymmetric } from './init';
import type { Module } from './module';
import { checkPositiveInteger } from './validate';
import { createVariable, disposerFor } from './variable';

/** Options of `createLinear`. */
export interface LinearOptions {
  /** Module name; variables are `<name>/kernel` and `<name>/bias`. */
  readonly name: string;
  /** Source of the uniform weight and bias draws (kernel first, then bias). */
  readonly rng: Rng;
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** Add a learned bias. Default true, as `nn.Linear`. */
  readonly bias?: boolean;
}

/**
 * A fully connected layer `y = x W + b` on `[B, in]` inputs. The kernel is stored `[in, out]`
 * (PyTorch's `weight` transposed). Both kernel and bias start uniform in ±1/sqrt(in), PyTorch's
 * default. The module owns its variables; `apply` returns a tensor the caller owns.
 */
export function createLinear(options: LinearOptions): Module {
  const { name, rng, inFeatures, outFeatures, bias = true } = options;
  checkPositiveInteger(`${name}.inFeatures`, inFeatures);
  checkPositiveInteger(`${name}.outFeatures`, outFeatures);

  const bound = 1 / Math.sqrt(inFeatures);
  const kernel = createVariable(
    uniformSymmetric(rng, inFeatures * outFeatures, bound),
    [inFeatures, outFeatures],
    true,
    `${name}/kernel`,
  );
  const biasVariable = bias
    ? createVariable(uniformSymmetric(rng, outFeatures, bound), [outFeatures], true, `${name}/bias`)
    : undefined;
  const variables = biasVariable ? [kernel, biasVariable] : [kernel];
  return {
    name,
    trainableVariables: () => variables.slice(),
    stateVariables: () => [],
    apply: (input) =>
      tf.tidy(() => {
        const product = tf.matMul(input as tf.Tensor2D, kernel as tf.Tensor2D);
        return biasVariable ? tf.add(product, biasVariable) : product;
      }),
    dispose: disposerFor(variables),
  };
}
