import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IndexedDataset } from '../dataset';
import { DatasetError } from './dataset-error';
import { loadIdxDataset } from './idx-dataset';
import { findPackageRoot } from '../../util/package-root';
import { checkSplit, type Split } from './split';

/** The embedded set's folder inside the package (source tree, not dist/). */
export const EMBEDDED_DIR_IN_PACKAGE = join('core', 'data', 'embedded');
/** Base name of the embedded set's files (`<base>-<split>-images-idx3-ubyte.gz`, `<base>.json`). */
export const EMBEDDED_BASE_NAME = 'fashion-mnist-lt';

/** How one split of the embedded set was made and what it must contain (from `fashion-mnist-lt.json`). */
export interface EmbeddedSplitManifest {
  /** Name the loaded dataset reports. */
  readonly name: string;
  /** Fashion-MNIST split the records were drawn from. */
  readonly sourceSplit: Split;
  /** Seed of the within-class choice. */
  readonly seed: number;
  readonly size: number;
  readonly classCounts: number[];
  /** `contentFingerprint` of the split; the loader refuses files that do not match it. */
  readonly fingerprint: string;
  /** Train split only: imbalance ratio and head-class size of the long-tail profile. */
  readonly ratio?: number;
  readonly nMax?: number;
  /** Test split only: records per class. */
  readonly k?: number;
}

/** Contents of `core/data/embedded/fashion-mnist-lt.json`, written by `make-embedded.ts`. */
export interface EmbeddedManifest {
  readonly source: string;
  readonly licence: string;
  readonly classes: string[];
  readonly train: EmbeddedSplitManifest;
  readonly test: EmbeddedSplitManifest;
}

/** Options of {@link loadEmbeddedFashionMnistLt}. */
export interface EmbeddedFashionMnistLtOptions {
  /** `train` (long-tailed, r = 100) or `test` (balanced, 100 per class). */
  readonly split: Split;
  /** Folder holding the embedded files. Default: `core/data/embedded/` of this package. */
  readonly dir?: string;
}

/** The folder holding the embedded files of the package this module belongs to. */
export function embeddedDir(): string {
  return join(findPackageRoot(__dirname), EMBEDDED_DIR_IN_PACKAGE);
}

/** Reads the manifest that describes the embedded set (counts, seeds, fingerprints). */
export async function readEmbeddedManifest(dir: string = embeddedDir()): Promise<EmbeddedManifest> {
  const file = join(dir, `${EMBEDDED_BASE_NAME}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new DatasetError('not-found', 'the embedded dataset manifest is missing', {
      file,
      cause,
      hint: 'the package was installed without core/data/embedded/; reinstall it, or rebuild the set with core/data/embedded/make-embedded.ts',
    });
  }
  try {
    return JSON.parse(text) as EmbeddedManifest;
  } catch (cause) {
    throw new DatasetError('corrupt', `expected JSON, but parsing failed: ${(cause as Error).message}`, { file, cause });
  }
}

/**
 * Loads the small long-tailed Fashion-MNIST set committed with bcl-ssl, the default dataset when
 * no other is configured: train has 2 478 images in counts 1000, 599, 359, 215, 129, 77, 46, 27,
 * 16, 10 (classes 0..9, r = 100); test has 100 of each class. See `docs/datasets.md`.
 *
 * The loaded data is checked against the manifest's fingerprint, so an edited or damaged file
 * fails here (code `DATASET_CORRUPT`, reason `corrupt`) rather than silently changing results.
 */
export async function loadEmbeddedFashionMnistLt(options: EmbeddedFashionMnistLtOptions): Promise<IndexedDataset> {
  checkSplit(options.split);
  const dir = options.dir ?? embeddedDir();
  const manifest = (await readEmbeddedManifest(dir))[options.split];
  const dataset = await loadIdxDataset({
    name: manifest.name,
    imagesFile: join(dir, `${EMBEDDED_BASE_NAME}-${options.split}-images-idx3-ubyte.gz`),
    labelsFile: join(dir, `${EMBEDDED_BASE_NAME}-${options.split}-labels-idx1-ubyte.gz`),
    numClasses: manifest.classCounts.length,
  });
  if (dataset.fingerprint !== manifest.fingerprint) {
    throw new DatasetError(
      'corrupt',
      `expected the embedded ${options.split} split to have fingerprint ${manifest.fingerprint}, but got ${dataset.fingerprint}`,
      { file: join(dir, `${EMBEDDED_BASE_NAME}.json`), hint: 'the embedded files were modified; restore them from git' },
    );
  }
  return dataset;
}
