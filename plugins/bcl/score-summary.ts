/** Histogram of scores in [0, 1] over the samples with `seen[i] = 1`, in `bins` equal bins. */
export function scoreHistogram(scores: Float32Array, seen: Uint8Array, bins = 10): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < scores.length; i++) {
    if (seen[i]) counts[Math.min(bins - 1, Math.floor(scores[i] * bins))]++;
  }
  return counts;
}

/**
 * Mean score per class, ordered from the most frequent class (head) to the rarest (tail), over
 * samples with a score. Labels are for analysis only; training never sees them. Classes without
 * seen samples report NaN-free 0 and are listed with their count so readers can tell.
 */
export function meanScoreHeadToTail(scores: Float32Array, seen: Uint8Array, labels: Int32Array, classCounts: Int32Array): { classes: number[]; meanScore: number[] } {
  const sums = new Float64Array(classCounts.length);
  const counts = new Float64Array(classCounts.length);
  for (let i = 0; i < scores.length; i++) {
    const label = labels[i];
    if (!seen[i] || label < 0 || label >= classCounts.length) continue;
    sums[label] += scores[i];
    counts[label]++;
  }
  const classes = Array.from(classCounts.keys()).sort((a, b) => classCounts[b] - classCounts[a] || a - b);
  return { classes, meanScore: classes.map((c) => (counts[c] > 0 ? sums[c] / counts[c] : 0)) };
}
