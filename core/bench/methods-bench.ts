import type { BackendName } from '../backends/select-backend';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { resolveRecipe } from '../recipes/resolve-recipe';
import { benchmarkSteps } from './step-bench';
import { median } from './median';

/** The shipped methods, each with a `<m>_…` and a `bcl-<m>_…` recipe on the embedded set. */
export const BENCH_METHODS = ['simclr', 'moco', 'byol', 'simsiam', 'sdclr', 'barlow-twins'] as const;
const RECIPE_SUFFIX = '_resnet18-w8_b128-cos-5e_fashion-mnist-lt-embedded';

/** One method's step time without and with BCL. */
export interface MethodTiming {
  readonly method: string;
  /** Median over every timed step of every plain run. */
  readonly plainMs: number;
  /** Median over every timed step of every BCL run. */
  readonly bclMs: number;
  /**
   * The noise floor: |median of the plain runs before the BCL runs - median of those after| /
   * plainMs. An overhead smaller than this is not measurable on this machine.
   */
  readonly plainDrift: number;
}

/** Options of `benchmarkMethods`. */
export interface MethodBenchOptions {
  readonly backend: BackendName;
  readonly width: number;
  readonly batch: number;
  readonly steps: number;
  readonly warmup: number;
  /** A-B-B-A repetitions per method (default 1). */
  readonly rounds?: number;
  /** Methods to time (default `BENCH_METHODS`). */
  readonly methods?: readonly string[];
}

/**
 * Median step time of every method, alone and with BCL, on one backbone width and batch. BCL is
 * timed in its most expensive state — every sample augmented at full strength (`uniformScore: 1`) —
 * because in the first epoch its scores are all 0 and it would augment nothing. Each pair is timed
 * in A-B-B-A order and averaged.
 */
export async function benchmarkMethods(options: MethodBenchOptions, log: (line: string) => void): Promise<MethodTiming[]> {
  const rows: MethodTiming[] = [];
  // One untimed run first: the process's first run pays one-off costs (JIT compilation of the
  // kernels, heap growth, worker start) that would otherwise land on the first method's plain side.
  log('warming up the process ...');
  await benchmarkSteps(sized(resolveRecipe(`${BENCH_METHODS[0]}${RECIPE_SUFFIX}`), options), options.backend, 1, options.warmup);
  for (const method of options.methods ?? BENCH_METHODS) {
    const plain = sized(resolveRecipe(`${method}${RECIPE_SUFFIX}`), options);
    const bclRecipe = sized(resolveRecipe(`bcl-${method}${RECIPE_SUFFIX}`), options);
    const withBcl: ResolvedRecipe = { ...bclRecipe, plugins: bclRecipe.plugins.map((p) => (p.name === 'bcl' ? { ...p, uniformScore: 1 } : p)) };
    // A-B-B-A order, pooled: the first runs after a model change pay warm-up costs (kernel
    // caches, heap growth) that would otherwise all land on one side.
    const time = async (recipe: ResolvedRecipe, label: string): Promise<number[]> => {
      log(`timing ${label} ...`);
      return (await benchmarkSteps(recipe, options.backend, options.steps, options.warmup)).stepsMs;
    };
    const before: number[] = [];
    const after: number[] = [];
    const bcl: number[] = [];
    for (let round = 0; round < (options.rounds ?? 1); round++) {
      before.push(...(await time(plain, method)));
      bcl.push(...(await time(withBcl, `bcl-${method}`)));
      bcl.push(...(await time(withBcl, `bcl-${method}`)));
      after.push(...(await time(plain, method)));
    }
    const plainMs = median([...before, ...after]);
    rows.push({ method, plainMs, bclMs: median(bcl), plainDrift: Math.abs(median(before) - median(after)) / plainMs });
  }
  return rows;
}


function sized(recipe: ResolvedRecipe, options: MethodBenchOptions): ResolvedRecipe {
  return { ...recipe, backbone: { ...recipe.backbone, width: options.width }, data: { ...recipe.data, batchSize: options.batch } };
}

/** The table: ms/step alone and with BCL, BCL's overhead, and each method relative to SimCLR. */
export function methodsTable(rows: readonly MethodTiming[], options: MethodBenchOptions): string {
  const simclr = rows.find((r) => r.method === 'simclr')?.plainMs ?? Number.NaN;
  const lines = [
    `ResNet-18 width ${options.width}, batch ${options.batch} x 2 views, ${options.backend}; ${options.rounds ?? 1} A-B-B-A round(s) of ${options.steps} timed steps after ${options.warmup} warm-up, medians over all`,
    '',
    '| method | ms/step | images/s | +BCL ms/step | BCL overhead | noise floor (plain before vs after) | vs SimCLR |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const overhead = ((r.bclMs / r.plainMs - 1) * 100).toFixed(1);
    const imagesPerSecond = ((2 * options.batch * 1000) / r.plainMs).toFixed(0);
    lines.push(`| ${r.method} | ${r.plainMs.toFixed(0)} | ${imagesPerSecond} | ${r.bclMs.toFixed(0)} | ${overhead}% | ${(r.plainDrift * 100).toFixed(1)}% | ${(r.plainMs / simclr).toFixed(2)}x |`);
  }
  return lines.join('\n');
}
