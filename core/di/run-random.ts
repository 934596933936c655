import { deriveSeed, Rng } from '../random/rng';
import { token } from './token';

/**
 * Seeded random streams of a run: `stream('simclr/projector')` returns a fresh generator whose
 * draws depend only on the run seed and the stream name, so each plugin initialises the same way
 * whatever other plugins exist.
 */
export interface RunRandom {
  stream(name: string): Rng;
}
export const RunRandom = token<RunRandom>('RunRandom');

/** The `RunRandom` of a run seed. */
export function runRandom(seed: number): RunRandom {
  return { stream: (name) => new Rng(deriveSeed(seed, hashString(name))) };
}

/** FNV-1a hash of a string to uint32. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
