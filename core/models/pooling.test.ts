import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { globalAveragePool, maxPool2d } from './pooling';
import { useCpuBackend } from './spec-helpers';

describe('pooling', () => {
  before(useCpuBackend);

  it('max-pools 3x3 stride 2 padding 1 with padding that never wins (hand-computed, negative input)', () => {
    // -1..-16: had padding counted as 0, every corner window would return 0.
    const x = tf.tensor4d(Array.from({ length: 16 }, (_, i) => -(i + 1)), [1, 4, 4, 1]);
    const y = maxPool2d(x, 3, 2, 1);
    assert.deepEqual(y.shape, [1, 2, 2, 1]);
    // Windows centred on (0,0), (0,2), (2,0), (2,2): their largest entries are -1, -2, -5, -6.
    assert.deepEqual(Array.from(y.dataSync()), [-1, -2, -5, -6]);
    tf.dispose([x, y]);
  });

  it('averages over height and width', () => {
    const x = tf.tensor4d([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]);
    const y = globalAveragePool(x);
    assert.deepEqual(y.shape, [1, 2]);
    assert.deepEqual(Array.from(y.dataSync()), [2.5, 25]);
    tf.dispose([x, y]);
  });
});
