import { Rng } from './rng';

/** `count` seeded normal draws as float32, identical on every backend and every run (bench and test inputs). */
export function seededNormals(seed: number, count: number): Float32Array {
  const rng = new Rng(seed);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = rng.normal();
  return values;
}
