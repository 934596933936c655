import { Option, type Command } from 'commander';

/** The recipe-override flags of `bcl train`, as commander parses them. */
export interface RecipeOverrideFlags {
  /** `--set path=value`, repeatable, in the order given (absent when none). */
  set?: string[];
  epochs?: string;
  seed?: string;
  batchSize?: string;
}

/** Shorthand flags and the recipe path each one sets. */
const SHORTHANDS = [
  { flag: '--epochs <n>', key: 'epochs', path: 'epochs', help: 'training epochs (same as --set epochs=<n>)' },
  { flag: '--seed <n>', key: 'seed', path: 'seed', help: 'seed of weights, order and augmentation (same as --set seed=<n>)' },
  { flag: '--batch-size <n>', key: 'batchSize', path: 'data.batchSize', help: 'samples per step (same as --set data.batchSize=<n>)' },
] as const;

/**
 * Adds `--set path=value` (repeatable) and the shorthands `--epochs`, `--seed`, `--batch-size` to
 * a command. Values are parsed and checked by the recipe schema, not here, so they get the same
 * path-qualified errors as a recipe file (docs/recipes.md#command-line-overrides).
 */
export function addRecipeOverrideOptions(command: Command): Command {
  command.addOption(
    new Option('-s, --set <path=value>', 'override a recipe field, e.g. --set method.temperature=0.1 (repeatable; typed by the recipe schema; recorded in recipe.json)')
      .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
  );
  for (const s of SHORTHANDS) command.addOption(new Option(s.flag, s.help));
  return command;
}

/** The overrides as `path=value` texts: every `--set` in order, then the shorthands. */
export function overridesFromFlags(flags: RecipeOverrideFlags): string[] {
  const shorthands = SHORTHANDS.flatMap((s) => (flags[s.key] === undefined ? [] : [`${s.path}=${flags[s.key]}`]));
  return [...(flags.set ?? []), ...shorthands];
}
