import { Rng } from '../random/rng';

/** Options of {@link kMeans}. */
export interface KMeansOptions {
  /** Number of clusters K (2 <= K <= rows). */
  readonly k: number;
  /** Seed of the k-means++ draws. */
  readonly seed: number;
  /** Most Lloyd iterations per restart (it stops earlier once no assignment changes). Default 100. */
  readonly iterations?: number;
  /** Independent k-means++ starts; the one with the lowest inertia wins. Default 3. */
  readonly restarts?: number;
}

/** A clustering of `rows` points. */
export interface KMeansResult {
  /** `assignment[i]` is the cluster of row i, in [0, K). */
  readonly assignment: Int32Array;
  /** Row-major `[K, dim]` cluster centres. */
  readonly centres: Float32Array;
  /** Points per cluster (every one >= 1). */
  readonly sizes: Int32Array;
  /** Sum of squared distances of the points to their centres. */
  readonly inertia: number;
  /** Lloyd iterations the winning restart ran. */
  readonly iterations: number;
}

/**
 * Seeded k-means (k-means++ starts, then Lloyd iterations) of `rows` points of width `dim`, stored
 * row-major in `points`. Deterministic for a seed. A cluster that empties during Lloyd's steps is
 * re-seeded with the point farthest from its centre, so every cluster ends with at least one point.
 */
export function kMeans(points: Float32Array, rows: number, dim: number, options: KMeansOptions): KMeansResult {
  const { k, seed, iterations = 100, restarts = 3 } = options;
  if (!Number.isInteger(k) || k < 2 || k > rows) throw new RangeError(`k-means needs 2 <= k <= ${rows} points, but k is ${k}`);
  if (points.length !== rows * dim) throw new RangeError(`expected ${rows} x ${dim} = ${rows * dim} values, but got ${points.length}`);
  const rng = new Rng(seed);
  let best: KMeansResult | undefined;
  for (let r = 0; r < restarts; r++) {
    const result = lloyd(points, rows, dim, k, plusPlusCentres(points, rows, dim, k, rng), iterations);
    if (!best || result.inertia < best.inertia) best = result;
  }
  return best!;
}

function squaredDistance(points: Float32Array, row: number, centres: Float32Array, centre: number, dim: number): number {
  let sum = 0;
  const p = row * dim;
  const c = centre * dim;
  for (let d = 0; d < dim; d++) {
    const diff = points[p + d] - centres[c + d];
    sum += diff * diff;
  }
  return sum;
}

/** k-means++ (Arthur & Vassilvitskii 2007): each new centre drawn with probability proportional to D(x)^2. */
function plusPlusCentres(points: Float32Array, rows: number, dim: number, k: number, rng: Rng): Float32Array {
  const centres = new Float32Array(k * dim);
  const nearest = new Float64Array(rows).fill(Infinity);
  let chosen = rng.int(rows);
  for (let c = 0; c < k; c++) {
    centres.set(points.subarray(chosen * dim, (chosen + 1) * dim), c * dim);
    let total = 0;
    for (let i = 0; i < rows; i++) {
      nearest[i] = Math.min(nearest[i], squaredDistance(points, i, centres, c, dim));
      total += nearest[i];
    }
    if (c === k - 1) break;
    // All remaining points sit on a centre (duplicates): any not yet chosen row will do.
    if (total === 0) {
      chosen = (chosen + 1) % rows;
      continue;
    }
    let target = rng.next() * total;
    chosen = rows - 1;
    for (let i = 0; i < rows; i++) {
      target -= nearest[i];
      if (target < 0) {
        chosen = i;
        break;
      }
    }
  }
  return centres;
}

function lloyd(points: Float32Array, rows: number, dim: number, k: number, centres: Float32Array, maxIterations: number): KMeansResult {
  const assignment = new Int32Array(rows).fill(-1);
  const sizes = new Int32Array(k);
  const distance = new Float64Array(rows);
  let iteration = 0;
  for (; iteration < maxIterations; iteration++) {
    let changed = false;
    for (let i = 0; i < rows; i++) {
      let bestCentre = 0;
      let bestDistance = Infinity;
      for (let c = 0; c < k; c++) {
        const d = squaredDistance(points, i, centres, c, dim);
        if (d < bestDistance) {
          bestDistance = d;
          bestCentre = c;
        }
      }
      distance[i] = bestDistance;
      if (assignment[i] !== bestCentre) {
        assignment[i] = bestCentre;
        changed = true;
      }
    }
    reseedEmptyClusters(k, assignment, distance);
    updateCentres(points, rows, dim, k, assignment, centres, sizes);
    if (!changed) break;
  }
  let inertia = 0;
  for (let i = 0; i < rows; i++) inertia += squaredDistance(points, i, centres, assignment[i], dim);
  return { assignment, centres, sizes, inertia, iterations: iteration };
}

/** Moves the farthest point of a non-singleton cluster into each empty cluster. */
function reseedEmptyClusters(k: number, assignment: Int32Array, distance: Float64Array): void {
  const counts = new Int32Array(k);
  for (const c of assignment) counts[c]++;
  for (let c = 0; c < k; c++) {
    if (counts[c] > 0) continue;
    let far = -1;
    for (let i = 0; i < assignment.length; i++) {
      if (counts[assignment[i]] > 1 && (far < 0 || distance[i] > distance[far])) far = i;
    }
    counts[assignment[far]]--;
    assignment[far] = c;
    distance[far] = 0;
    counts[c] = 1;
  }
}

function updateCentres(points: Float32Array, rows: number, dim: number, k: number, assignment: Int32Array, centres: Float32Array, sizes: Int32Array): void {
  const sums = new Float64Array(k * dim);
  sizes.fill(0);
  for (let i = 0; i < rows; i++) {
    const c = assignment[i];
    sizes[c]++;
    for (let d = 0; d < dim; d++) sums[c * dim + d] += points[i * dim + d];
  }
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < dim; d++) centres[c * dim + d] = sums[c * dim + d] / sizes[c];
  }
}
