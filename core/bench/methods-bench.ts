import type { BackendName } from '../backends/select-backend';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { resolveRecipe } from '../recipes/resolve-recipe';
import { benchmarkSteps } from './step-bench';

/** The shipped methods, each with a `<m>_…` and a `bcl-<m>_…` recipe on the embedded set. */
export const BENCH_METHODS = ['simclr', 'moco', 'byol', 'simsiam', 'sdclr', 'barlow-twins'] as const;
const RECIPE_SUFFIX = '_resnet18-w8_b128-cos-5e_fashion-mnist-lt-embedded';

/** One method's step time without and with BCL. */
export interface MethodTiming {
  readonly method: string;
  readonly plainMs: number;
  readonly bclMs: number;
}

/** Options of `benchmarkMethods`. */
export interface MethodBenchOptions {
  readonly backend: BackendName;
  readonly width: number;
  readonly batch: number;
  readonly steps: number;
  readonly warmup: number;
}

/**
 * Median step time of every method, alone and with BCL, on one backbone width and batch. BCL is
 * timed in its most expensive state — every sample augmented at full strength (`uniformScore: 1`) —
 * because in the first epoch its scores are all 0 and it would augment nothing. Each pair is timed
 * in A-B-B-A order and averaged.
 */
export async function benchmarkMethods(options: MethodBenchOptions, log: (line: string) => void): Promise<MethodTiming[]> {
  const rows: MethodTiming[] = [];
  for (const method of BENCH_METHODS) {
    const plain = sized(resolveRecipe(`${method}${RECIPE_SUFFIX}`), options);
    const bclRecipe = sized(resolveRecipe(`bcl-${method}${RECIPE_SUFFIX}`), options);
    const withBcl: ResolvedRecipe = { ...bclRecipe, plugins: bclRecipe.plugins.map((p) => (p.name === 'bcl' ? { ...p, uniformScore: 1 } : p)) };
    // A-B-B-A order, averaged: the first runs after a model change pay warm-up costs (kernel
    // caches, heap growth) that would otherwise all land on one side.
    const time = async (recipe: ResolvedRecipe, label: string): Promise<number> => {
      log(`timing ${label} ...`);
      return (await benchmarkSteps(recipe, options.backend, options.steps, options.warmup)).medianMs;
    };
    const a1 = await time(plain, method);
    const b1 = await time(withBcl, `bcl-${method}`);
    const b2 = await time(withBcl, `bcl-${method}`);
    const a2 = await time(plain, method);
    rows.push({ method, plainMs: (a1 + a2) / 2, bclMs: (b1 + b2) / 2 });
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
    `ResNet-18 width ${options.width}, batch ${options.batch} x 2 views, ${options.backend}; median of ${options.steps} steps after ${options.warmup} warm-up`,
    'method         ms/step   +BCL ms/step   BCL overhead   vs SimCLR',
  ];
  for (const r of rows) {
    const overhead = ((r.bclMs / r.plainMs - 1) * 100).toFixed(1);
    lines.push(`${r.method.padEnd(14)} ${r.plainMs.toFixed(0).padStart(7)} ${r.bclMs.toFixed(0).padStart(14)} ${`${overhead}%`.padStart(14)} ${(r.plainMs / simclr).toFixed(2).padStart(10)}x`);
  }
  return lines.join('\n');
}
