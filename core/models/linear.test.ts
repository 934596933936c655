import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng';
import { createLinear } from './linear';
import { assertClose, normalArray, useCpuBackend } from './spec-helpers';

describe('createLinear', () => {
  before(useCpuBackend);

  it('draws kernel and bias uniformly in ±1/sqrt(fan_in), filling the range', () => {
    const linear = createLinear({ name: 'fc-init', rng: new Rng(1), inFeatures: 64, outFeatures: 50 });
    const [kernel, bias] = linear.trainableVariables();
    assert.deepEqual([kernel.name, kernel.shape, bias.name, bias.shape], ['fc-init/kernel', [64, 50], 'fc-init/bias', [50]]);
    const bound = 1 / 8;
    for (const variable of [kernel, bias]) {
      const values = Array.from(variable.dataSync());
      assert.ok(values.every((v) => Math.abs(v) <= bound), `${variable.name} within the bound`);
      // 3,200 (or 50) uniform draws reach within 10% of both ends.
      assert.ok(Math.max(...values) > 0.9 * bound && Math.min(...values) < -0.9 * bound, `${variable.name} spread`);
    }
    linear.dispose();
  });

  it('computes x W + b (float64 reference), with no bias when asked', () => {
    const withBias = createLinear({ name: 'fc-a', rng: new Rng(2), inFeatures: 3, outFeatures: 2 });
    const noBias = createLinear({ name: 'fc-b', rng: new Rng(2), inFeatures: 3, outFeatures: 2, bias: false });
    assert.equal(noBias.trainableVariables().length, 1);
    const x64 = normalArray(7, 6);
    const x = tf.tensor2d(Float32Array.from(x64), [2, 3]);
    const w = Array.from(withBias.trainableVariables()[0].dataSync());
    const b = Array.from(withBias.trainableVariables()[1].dataSync());
    const expected = (useBias: boolean) =>
      [0, 1].flatMap((row) =>
        [0, 1].map((col) => [0, 1, 2].reduce((s, k) => s + x64[row * 3 + k] * w[k * 2 + col], useBias ? b[col] : 0)),
      );
    const y = withBias.apply(x, { training: true });
    const z = noBias.apply(x, { training: true });
    assertClose(y.dataSync(), expected(true), 1e-6, 'with bias');
    // Same seed, same draw order: the bias-free layer's kernel equals the other's.
    assertClose(z.dataSync(), expected(false), 1e-6, 'without bias');
    tf.dispose([x, y, z]);
    noBias.dispose();
    withBias.dispose();
  });
});
