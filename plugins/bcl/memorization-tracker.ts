/**
 * Per-sample memorization tracking of BCL (Zhou et al., ICML 2022), in O(N) typed arrays.
 *
 * Each sample keeps an exponential moving average of its SSL loss: the first loss is taken as is,
 * later ones give L <- (1 - beta) * loss + beta * L. At each epoch end the averages are normalised to
 * scores M = ((L - mean L) / max |L - mean L|) / 2 + 1/2 in [0, 1] over the samples seen so far;
 * samples never seen score 0 (as in the authors' first epoch). High M: a sample the model finds
 * hard (typically the tail), which BCL then augments more strongly.
 */
export class MemorizationTracker {
  /** Moving-average loss per dataset index (float64: long averages lose float32 precision). */
  readonly momentumLoss: Float64Array;
  /** 1 once a sample has a loss. */
  readonly seen: Uint8Array;
  /** Scores from the last epoch end, used to augment during the next epoch. */
  readonly scores: Float32Array;

  constructor(
    readonly size: number,
    readonly beta: number,
  ) {
    this.momentumLoss = new Float64Array(size);
    this.seen = new Uint8Array(size);
    this.scores = new Float32Array(size);
  }

  /** Folds one batch's per-sample losses in. Indices out of range are a caller bug and throw. */
  update(indices: Int32Array, losses: Float32Array): void {
    const { momentumLoss, seen, beta, size } = this;
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i];
      if (index < 0 || index >= size) throw new RangeError(`dataset index ${index} outside [0, ${size})`);
      if (seen[index]) {
        momentumLoss[index] = (1 - beta) * losses[i] + beta * momentumLoss[index];
      } else {
        momentumLoss[index] = losses[i];
        seen[index] = 1;
      }
    }
  }

  /**
   * Recomputes the scores from the moving averages. When every seen sample has the same loss the
   * deviation is 0; all seen samples then score 1/2 (no sample is harder than another).
   */
  computeScores(): Float32Array {
    const { momentumLoss, seen, scores, size } = this;
    let count = 0;
    let sum = 0;
    for (let i = 0; i < size; i++) {
      if (seen[i]) {
        sum += momentumLoss[i];
        count++;
      }
    }
    scores.fill(0);
    if (count === 0) return scores;
    const mean = sum / count;
    let maxDeviation = 0;
    for (let i = 0; i < size; i++) {
      if (seen[i]) maxDeviation = Math.max(maxDeviation, Math.abs(momentumLoss[i] - mean));
    }
    const scale = maxDeviation > 0 ? 1 / (2 * maxDeviation) : 0;
    for (let i = 0; i < size; i++) {
      if (seen[i]) scores[i] = (momentumLoss[i] - mean) * scale + 0.5;
    }
    return scores;
  }
}
