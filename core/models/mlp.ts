import type { Rng } from '../random/rng';
import { BclError } from '../errors';
import { createBatchNorm } from './batch-norm';
import { createSequential } from './composite';
import { createLinear } from './linear';
import type { Module } from './module';
import { createRelu } from './relu';
import { checkPositiveInteger } from './validate';

/** Options of `createMlp`. */
export interface MlpOptions {
  /** Variable prefix; layers are `<name>/fc1`, `<name>/bn1`, `<name>/fc2`, ... (1-based, as SDCLR's head). */
  readonly name: string;
  /** Source of the linear layers' draws, consumed layer by layer. */
  readonly rng: Rng;
  /** Feature sizes from input to output, e.g. `[512, 512, 128]` for two linear layers. At least 2 entries. */
  readonly sizes: readonly number[];
  /** BatchNorm after every hidden linear layer (before its ReLU). Default true. */
  readonly batchNorm?: boolean;
  /** BatchNorm after the last linear layer too (SimCLR/SDCLR projector, SimSiam projector). Default false. */
  readonly lastBatchNorm?: boolean;
  /** Learn gamma and beta in that last BatchNorm. Default true; SimSiam's projector uses false. */
  readonly lastBatchNormAffine?: boolean;
  /**
   * Bias of each linear layer: one flag for all, or one per layer. Default true (`nn.Linear`).
   * A bias right before a training-mode BatchNorm gets zero gradient; heads may drop it.
   */
  readonly bias?: boolean | readonly boolean[];
}

/**
 * A multi-layer perceptron on `[B, D]` features: `Linear [- BN] - ReLU` for each hidden layer,
 * then `Linear [- BN]`. Serves as projector (SimCLR, BYOL, SimSiam) and predictor (BYOL, SimSiam).
 * The MLP owns its variables; `apply` returns a tensor the caller owns.
 */
export function createMlp(options: MlpOptions): Module {
  const { name, rng, sizes, batchNorm = true, lastBatchNorm = false, lastBatchNormAffine = true, bias = true } = options;
  const layerCount = sizes.length - 1;
  if (layerCount < 1) {
    throw new BclError('RECIPE_INVALID', `${name}.sizes must list at least 2 sizes (input and output), but got [${sizes.join(', ')}].`);
  }
  sizes.forEach((size, i) => checkPositiveInteger(`${name}.sizes[${i}]`, size));
  if (typeof bias !== 'boolean' && bias.length !== layerCount) {
    throw new BclError(
      'RECIPE_INVALID',
      `${name}.bias must be a boolean or have one entry per linear layer (${layerCount}), but got ${bias.length} entries.`,
    );
  }

  const children: Module[] = [];
  for (let i = 1; i <= layerCount; i++) {
    const last = i === layerCount;
    const outFeatures = sizes[i];
    children.push(
      createLinear({
        name: `${name}/fc${i}`,
        rng,
        inFeatures: sizes[i - 1],
        outFeatures,
        bias: typeof bias === 'boolean' ? bias : bias[i - 1],
      }),
    );
    if (last ? lastBatchNorm : batchNorm) {
      children.push(
        createBatchNorm({ name: `${name}/bn${i}`, channels: outFeatures, affine: last ? lastBatchNormAffine : true }),
      );
    }
    if (!last) children.push(createRelu(`${name}/relu${i}`));
  }
  return createSequential(name, children);
}
