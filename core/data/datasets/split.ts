import { DatasetError } from './dataset-error';

/** Which half of a dataset to load. */
export type Split = 'train' | 'test';

/**
 * Throws a `bad-option` DatasetError unless `split` is `train` or `test`. Loaders check at run
 * time because splits often come from JSON recipes, where the type annotation promises nothing.
 */
export function checkSplit(split: unknown): asserts split is Split {
  if (split !== 'train' && split !== 'test') {
    throw new DatasetError('bad-option', `expected split 'train' or 'test', but got ${JSON.stringify(split)}`);
  }
}
