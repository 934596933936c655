import { InvalidArgumentError } from 'commander';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { METRIC_SINK_NAMES, type MetricSinkName } from '../run/sinks/metric-format';

/** Parses `bcl train --log csv,tensorboard` into sink names, naming a misspelt one and the choices. */
export function parseLogSinks(text: string): MetricSinkName[] {
  const names = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new InvalidArgumentError(`--log must list metric sinks (${METRIC_SINK_NAMES.join(', ')}), but got "${text}".`);
  for (const name of names) {
    if (!(METRIC_SINK_NAMES as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(`--log: unknown metric sink "${name}"; the sinks are ${METRIC_SINK_NAMES.join(', ')} (e.g. --log csv,tensorboard).`);
    }
  }
  return [...new Set(names as MetricSinkName[])];
}

/** The recipe with `logging.sinks` replaced by the `--log` choice (unchanged when the flag is absent); recipe.json records it. */
export function withLogSinks(recipe: ResolvedRecipe, sinks: readonly MetricSinkName[] | undefined): ResolvedRecipe {
  return sinks ? { ...recipe, logging: { ...recipe.logging, sinks: [...sinks] } } : recipe;
}
