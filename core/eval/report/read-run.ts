import * as fs from 'node:fs';
import * as path from 'node:path';
import { BclError } from '../../errors';
import type { MetricsEvent } from '../../events/event-bus';
import { formatIssues } from '../../recipes/format-issues';
import { RecipeSchema } from '../../recipes/recipe-schema';
import { readMetricsLog } from '../../run/metrics-log';
import { readEvalReport, type EvalReport } from '../eval-report';

/** The parts of a run's `recipe.json` the report shows. */
export interface RunRecipeSummary {
  readonly description?: string;
  readonly epochs?: number;
  readonly method?: { readonly name?: string };
  readonly plugins?: readonly { readonly name?: string }[];
  readonly backbone?: { readonly depth?: number; readonly width?: number; readonly stem?: string };
  readonly data?: { readonly batchSize?: number; readonly dataset?: { readonly type?: string } };
}

/** Everything the report reads from one run folder. */
export interface RunSummary {
  /** Short unique name in charts and tables (the folder name). */
  readonly label: string;
  readonly dir: string;
  readonly recipe: RunRecipeSummary;
  readonly metrics: MetricsEvent[];
  /** `eval.json`, when `bcl eval` has run. */
  readonly evaluation?: EvalReport;
}

/** Reads run folders for a report; labels are folder names, numbered when two are equal. */
export function readRuns(dirs: readonly string[]): RunSummary[] {
  const names = dirs.map((d) => path.basename(path.resolve(d)));
  return dirs.map((dir, i) => {
    const recipeFile = path.join(dir, 'recipe.json');
    if (!fs.existsSync(recipeFile)) {
      throw new BclError('USAGE', `${dir} is not a run folder (no recipe.json).`, { hint: 'Pass folders written by bcl train (e.g. runs/<recipe>).' });
    }
    const recipe = readRunRecipe(recipeFile);
    const metricsFile = path.join(dir, 'metrics.jsonl');
    const metrics = fs.existsSync(metricsFile) ? readMetricsLog(metricsFile) : [];
    const label = names.filter((n) => n === names[i]).length > 1 ? `${names[i]} (${i + 1})` : names[i];
    return { label, dir, recipe, metrics, evaluation: readEvalReport(dir) };
  });
}

/**
 * A run folder's recipe.json, checked with the recipe schema: its values reach the report's HTML,
 * and a folder is not trusted to hold what `bcl train` wrote (F8: a `<script>` in `data.batchSize`).
 */
function readRunRecipe(file: string): RunRecipeSummary {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BclError('RECIPE_INVALID', `${file} is not valid JSON (${(error as Error).message}).`, { hint: 'Pass run folders written by bcl train.' });
  }
  const parsed = RecipeSchema.safeParse(raw);
  if (!parsed.success) {
    throw new BclError('RECIPE_INVALID', `${file} is not a valid recipe:\n  - ${formatIssues(parsed.error.issues, 'recipe', raw).join('\n  - ')}`, {
      hint: 'Pass run folders written by bcl train; a hand-edited recipe.json must still validate.',
    });
  }
  return parsed.data;
}

/** `method + add-on + ...` of a run. */
export function methodLabel(run: RunSummary): string {
  const plugins = (run.recipe.plugins ?? []).map((p) => p.name ?? '?');
  return [run.recipe.method?.name ?? '?', ...plugins].join(' + ');
}

/** Epoch-scope values of one metric, in log order (a resumed run may repeat an epoch: the last wins). */
export function epochSeries<T>(run: RunSummary, key: string, pick: (value: number | readonly number[]) => T | undefined): { epoch: number; value: T }[] {
  const byEpoch = new Map<number, T>();
  for (const event of run.metrics) {
    if (event.scope !== 'epoch' || !(key in event.values)) continue;
    const value = pick(event.values[key]);
    if (value !== undefined) byEpoch.set(event.epoch, value);
  }
  return [...byEpoch.entries()].sort((a, b) => a[0] - b[0]).map(([epoch, value]) => ({ epoch, value }));
}

/** Optimizer steps per epoch, from the first epoch line (`step` is the epoch's last step); undefined if none. */
export function stepsPerEpoch(run: RunSummary): number | undefined {
  const first = run.metrics.find((e) => e.scope === 'epoch' && typeof e.values.loss === 'number');
  return first ? (first.step + 1) / first.epoch : undefined;
}
