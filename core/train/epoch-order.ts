import { deriveSeed, Rng } from '../random/rng';

/** Stream tag so epoch orders never share draws with augmentation streams. */
const ORDER_STREAM = 0x0e90c;

/** The epoch's sample order: a permutation of [0, size) that depends on (seed, epoch) only. */
export function epochOrder(seed: number, epoch: number, size: number): Int32Array {
  const order = new Int32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  return new Rng(deriveSeed(seed, ORDER_STREAM, epoch)).shuffle(order);
}

/** Number of batches an epoch has; `dropLast` drops a short final batch. */
export function batchesPerEpoch(size: number, batchSize: number, dropLast: boolean): number {
  return dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);
}

/** The dataset indices of batch `batch` (0-based) of an epoch order. A view, not a copy. */
export function batchIndices(order: Int32Array, batch: number, batchSize: number): Int32Array {
  return order.subarray(batch * batchSize, Math.min(order.length, (batch + 1) * batchSize));
}
