import type { Rng } from '../random/rng';
import { createMlp } from './mlp';
import type { Module } from './module';

/** Options of `createProjector`. */
export interface ProjectorOptions {
  /** Variable prefix, e.g. `simclr/projector`; layers are `fc1`, `bn1`, `fc2`, `bn2`. */
  readonly name: string;
  /** Source of the linear layers' draws. */
  readonly rng: Rng;
  /** Input width: the backbone's `featureDim`. */
  readonly inputDim: number;
  /** Hidden width. Default `inputDim` (SDCLR/BCL). */
  readonly hiddenDim?: number;
  /** Output (embedding) width. Default 128 (SimCLR's paper value; SDCLR's scripts pass 512 too). */
  readonly outputDim?: number;
}

/**
 * The BCL authors' SimCLR projection head (SDCLR's `proj_head`): `Linear(in, hidden)` with bias,
 * BatchNorm1d, ReLU, `Linear(hidden, out)` without bias (the BN after it would cancel it), BatchNorm1d.
 * The projector owns its variables; `apply` returns `[B, outputDim]` the caller owns.
 */
export function createProjector(options: ProjectorOptions): Module {
  const { name, rng, inputDim, hiddenDim = inputDim, outputDim = 128 } = options;
  return createMlp({
    name,
    rng,
    sizes: [inputDim, hiddenDim, outputDim],
    batchNorm: true,
    lastBatchNorm: true,
    bias: [true, false],
  });
}
