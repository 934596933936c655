/**
 * "Did you mean ...?" for misspelt names: the known name closest to `input` by edit distance
 * (insertions, deletions, substitutions and swaps of neighbours), if it is close enough to be a
 * plausible typo. Used for recipe fields, plugin names and enum values.
 */
export function closestName(input: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const distance = editDistance(input.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  // A third of the longer name (at least one edit): "optimiser" -> "optimizer", but not "lr" -> "eta".
  const limit = best === undefined ? 0 : Math.max(1, Math.floor(Math.max(best.length, input.length) / 3));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

/** ` Did you mean "x"?` or the empty string. */
export function didYouMean(input: string, known: readonly string[]): string {
  const match = closestName(input, known);
  return match === undefined ? '' : ` Did you mean "${match}"?`;
}

/** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
