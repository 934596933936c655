/**
 * Weight initialisers that draw from the seeded `Rng` in JavaScript, so the same seed gives
 * bit-identical weights whatever tensor backend runs the model. Draws are consumed in the
 * row-major order of the stored shape; callers own the returned arrays.
 */
import type { Rng } from '../random/rng';

// Product of a shape's dimensions.
function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/**
 * Kaiming-normal draws with `mode='fan_out'` and the ReLU gain, as torchvision initialises ResNet
 * convolutions: N(0, 2 / fan_out) with fan_out = kernelHeight * kernelWidth * outChannels for an
 * HWIO kernel shape `[kh, kw, in, out]`.
 */
export function kaimingNormalFanOut(rng: Rng, shape: readonly [number, number, number, number]): Float32Array {
  const [kh, kw, , outChannels] = shape;
  const std = Math.sqrt(2 / (kh * kw * outChannels));
  const values = new Float32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = std * rng.normal();
  return values;
}

/** `size` draws from uniform(-bound, bound): PyTorch's default `nn.Linear` init with bound 1/sqrt(fan_in). */
export function uniformSymmetric(rng: Rng, size: number, bound: number): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.uniform(-bound, bound);
  return values;
}
