import { BclError } from '../errors';
import type { IndexedDataset } from '../data/dataset';
import type { ResolvedRecipe } from '../recipes/recipe-schema';

/**
 * Checks the recipe against the dataset it was given, before any tensor is made: the schema alone
 * cannot know the dataset's size or channel count. Without these checks a batch larger than the
 * dataset reached the wasm heap ("memory access out of bounds"), and a mean of 3 values with a std
 * of 1 silently trained 1-channel data with the wrong normalisation.
 */
export function checkRecipeFitsDataset(recipe: ResolvedRecipe, dataset: IndexedDataset): void {
  const { batchSize, dropLast, mean, std } = recipe.data;
  if (batchSize > dataset.size) {
    throw new BclError('RECIPE_INVALID', `recipe.data.batchSize must be at most the dataset's size, ${dataset.size} (${dataset.name}), but got ${batchSize}.`, {
      hint: `Lower data.batchSize to ${dataset.size} or less${dropLast ? '; with data.dropLast every batch must be full' : ''}.`,
    });
  }
  const channels = dataset.imageShape.channels;
  for (const [field, values] of [['mean', mean], ['std', std]] as const) {
    if (values.length !== 1 && values.length !== channels) {
      throw new BclError('RECIPE_INVALID', `recipe.data.${field} must have 1 value or one per channel (${channels} for ${dataset.name}), but got ${values.length}: [${values.join(', ')}].`, {
        hint: `Give data.mean and data.std ${channels === 1 ? 'one value each' : `1 or ${channels} values each`}.`,
      });
    }
  }
  if (mean.length !== std.length && mean.length !== 1 && std.length !== 1) {
    throw new BclError('RECIPE_INVALID', `recipe.data.mean and recipe.data.std must have the same length (or 1), but got ${mean.length} and ${std.length}.`);
  }
}
