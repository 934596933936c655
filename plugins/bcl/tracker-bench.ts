import { MemorizationTracker } from './memorization-tracker';

/** Cost of the memorization tracker at one dataset size. */
export interface TrackerTiming {
  readonly samples: number;
  readonly batchSize: number;
  /** Median milliseconds of one `update` (one step's per-sample losses). */
  readonly updateMs: number;
  /** Median milliseconds of `computeScores` (the epoch-end normalisation). */
  readonly epochEndMs: number;
  /** Memory of the tracker's arrays in MiB. */
  readonly memoryMiB: number;
}

/** Times the tracker's per-step update and epoch-end normalisation at N samples. */
export function benchmarkTracker(samples: number, batchSize = 512, repeats = 15): TrackerTiming {
  const tracker = new MemorizationTracker(samples, 0.97);
  const indices = new Int32Array(batchSize);
  const losses = new Float32Array(batchSize);
  const updates: number[] = [];
  let seed = 1;
  const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
  // Fill every sample once so the epoch end works on a full set, as after the first epoch.
  for (let start = 0; start < samples; start += batchSize) {
    const n = Math.min(batchSize, samples - start);
    for (let i = 0; i < n; i++) {
      indices[i] = start + i;
      losses[i] = 5 * random();
    }
    tracker.update(indices.subarray(0, n), losses.subarray(0, n));
  }
  for (let r = 0; r < Math.max(repeats, 200); r++) {
    for (let i = 0; i < batchSize; i++) {
      indices[i] = Math.floor(random() * samples);
      losses[i] = 5 * random();
    }
    const t = performance.now();
    tracker.update(indices, losses);
    updates.push(performance.now() - t);
  }
  const epochEnds: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    tracker.computeScores();
    epochEnds.push(performance.now() - t);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const bytes = tracker.momentumLoss.byteLength + tracker.seen.byteLength + tracker.scores.byteLength;
  return { samples, batchSize, updateMs: median(updates), epochEndMs: median(epochEnds), memoryMiB: bytes / 2 ** 20 };
}
