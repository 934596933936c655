/** Options of the per-step learning-rate schedule (recipe.schedule). */
export interface LrScheduleOptions {
  readonly type: 'cosine' | 'constant';
  /** Linear warm-up length in epochs (the BCL authors: 10). */
  readonly warmupEpochs: number;
  /** Lowest rate as a fraction of the base rate (the BCL authors: 1e-6). */
  readonly floor: number;
}

/**
 * Learning rate at 0-based global `step`: linear warm-up from base/warmupSteps to base over the
 * warm-up, then cosine decay from base to base*floor at the last step (the BCL authors'
 * per-step cosine annealing).
 */
export function learningRateAt(step: number, baseLr: number, stepsPerEpoch: number, totalSteps: number, options: LrScheduleOptions): number {
  const warmupSteps = Math.min(Math.round(options.warmupEpochs * stepsPerEpoch), totalSteps);
  if (step < warmupSteps) return (baseLr * (step + 1)) / warmupSteps;
  if (options.type === 'constant') return baseLr;
  const decaySteps = Math.max(1, totalSteps - warmupSteps);
  const progress = Math.min(1, (step - warmupSteps) / decaySteps);
  const floor = baseLr * options.floor;
  return floor + (baseLr - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
