import { z } from 'zod';
import { METRIC_SINK_NAMES } from '../run/sinks/metric-format';

/** Largest synthetic dataset, in bytes of uint8 pixels. */
const MAX_SYNTHETIC_BYTES = 2 ** 30;

/**
 * The recipe: a declarative description of one training run. Every field has a default, so a
 * recipe states only what differs. docs/recipes.md documents each field.
 */

const positiveInt = () => z.number().int().positive();

/** A named plugin reference with its options inline: `{ "name": "bcl", "beta": 0.97 }`. */
export const PluginReferenceSchema = z.looseObject({ name: z.string().min(1) });

/**
 * How a balanced source is made long-tailed besides `imbalanceRatio` (docs/datasets.md). All
 * optional, so recipes written before these fields resolve to the same recipe.
 */
const longTailFields = {
  /** Records of the head class. Default: the smallest class count of the source. */
  nMax: positiveInt().optional(),
  /**
   * Seed of a class permutation deciding which classes are rare. Omitted: label order (class 0 is
   * the head), which on Fashion-MNIST makes its easiest classes the tail.
   */
  classPermutationSeed: z.number().int().nonnegative().optional(),
  /** `random` (default): a seeded draw per class; `first`: the first n_c records in file order (the authors' way). */
  select: z.enum(['random', 'first']).optional(),
  /** Seed of the `random` draw. Default: the recipe's seed. Fix it to keep the data fixed across training seeds. */
  sampleSeed: z.number().int().nonnegative().optional(),
};

/** Where the linear probe's balanced full-shot training set comes from. */
const probeFields = {
  /**
   * A NumPy `.npy` index list into the training split that the full-shot linear probe trains on
   * (e.g. the 40 000-image list of the authors' CIFAR-100 probe). Default: the whole training split.
   */
  probeIndicesFile: z.string().min(1).optional(),
};

/** Geometry changes for grey 28x28 sources, so they feed models built for 32x32x3. */
const greyImageFields = {
  /** Zero-pad every image, centred, to this side (Fashion-MNIST 28 -> 32, as the BCL authors do). */
  padTo: positiveInt().optional(),
  /** 3: copy the grey channel into three (the authors' CIFAR models take RGB). Default: keep 1. */
  channels: z.literal(3).optional(),
};

export const DatasetSchema = z.discriminatedUnion('type', [
  z.strictObject({
    /** The small Fashion-MNIST-LT set committed in the repository (works offline). */
    type: z.literal('embedded-fashion-mnist-lt'),
    ...greyImageFields,
  }),
  z.strictObject({
    /** Fashion-MNIST IDX files (Debian: apt-get install dataset-fashion-mnist). */
    type: z.literal('fashion-mnist'),
    dir: z.string().optional(),
    /** Make it long-tailed with an exponential profile of this imbalance ratio (omit for balanced). */
    imbalanceRatio: z.number().gt(1).optional(),
    ...longTailFields,
    /** Or take the training subset from a NumPy `.npy` file of indices into the training split. */
    indicesFile: z.string().min(1).optional(),
    ...probeFields,
    ...greyImageFields,
  }),
  z.strictObject({
    /** CIFAR-10 / CIFAR-100 binary archives (`cifar-10-batches-bin`, `cifar-100-binary`). */
    type: z.enum(['cifar-10', 'cifar-100']),
    dir: z.string().min(1),
    /** Make the training set long-tailed with this imbalance ratio (exponential profile, seeded). */
    imbalanceRatio: z.number().gt(1).optional(),
    ...longTailFields,
    /** Or take the training subset from a NumPy `.npy` file of indices (e.g. the BCL authors' CIFAR-100-LT split). */
    indicesFile: z.string().min(1).optional(),
    ...probeFields,
  }),
  z.strictObject({
    /** An image list as ImageNet-LT / Places-LT publish it: `relative/path.jpg label` lines plus an image root. */
    type: z.literal('image-list'),
    /** The training list file. */
    listFile: z.string().min(1),
    /** Folder the listed paths are relative to. */
    root: z.string().min(1),
    /** The test list file (for evaluation), e.g. ImageNet_LT_test.txt. */
    testListFile: z.string().min(1).optional(),
    /** Resize every image on load to this side or [height, width] (omit: all images must share one size). */
    size: z.union([positiveInt(), z.tuple([positiveInt(), positiveInt()])]).optional(),
    /** `cover`: scale to cover, then centre-crop (default); `fill`: stretch. */
    fit: z.enum(['cover', 'fill']).default('cover'),
    channels: z.union([z.literal(1), z.literal(3)]).default(3),
  }),
  z.strictObject({
    /** Random images, for tests and smoke runs. */
    type: z.literal('synthetic'),
    size: positiveInt().default(64),
    height: positiveInt().default(8),
    width: positiveInt().default(8),
    channels: z.union([z.literal(1), z.literal(3)]).default(3),
    numClasses: positiveInt().default(4),
  }).refine((d) => d.size * d.height * d.width * d.channels <= MAX_SYNTHETIC_BYTES, {
    // The images are generated into one Uint8Array; past this the allocation itself fails.
    message: `size x height x width x channels must be at most ${MAX_SYNTHETIC_BYTES} bytes (1 GiB)`,
  }),
]);

export const RecipeSchema = z.strictObject({
  /** Other recipes this one builds on (names in recipes/ or paths); resolved before validation. */
  extends: z.union([z.string(), z.array(z.string())]).optional(),
  /**
   * Plugin modules to load before validation, as Node resolves them: package names (looked up
   * from the recipe's folder, then the working folder) or paths relative to the file that lists
   * them. Each exports `register(bcl)` (docs/plugins.md#plugin-packages). Every layer's imports load.
   */
  imports: z.array(z.string().min(1)).optional(),
  /**
   * The `--set` overrides that made this recipe from its file, in order. Written by `bcl train`
   * into the run's recipe.json as a record; their values are already in the fields.
   */
  overrides: z.array(z.string()).optional(),
  /** Free text shown by `bcl recipe show`. */
  description: z.string().default(''),
  seed: z.number().int().nonnegative().default(0),
  epochs: positiveInt().default(1),
  /**
   * A run folder (its newest valid checkpoint) or a checkpoint file whose weights start this run
   * when it starts fresh: every variable of the method with a saved twin of the same name and shape
   * takes its value, the rest keep their initialisation (a DnC expert continuing from the base).
   */
  initFrom: z.string().min(1).optional(),
  method: PluginReferenceSchema,
  /** Add-on plugins in the order their hooks run. */
  plugins: z.array(PluginReferenceSchema).default([]),
  backbone: z
    .strictObject({
      arch: z.literal('resnet').default('resnet'),
      depth: z.union([z.literal(18), z.literal(34), z.literal(50)]).default(18),
      stem: z.enum(['cifar', 'imagenet']).default('cifar'),
      width: positiveInt().default(64),
    })
    .prefault({}),
  data: z.strictObject({
    dataset: DatasetSchema,
    /**
     * A NumPy `.npy` list of indices into the training set that `dataset` builds (after its
     * long-tail profile): train on those samples only, re-indexed 0..n-1 (a DnC expert's cluster).
     */
    subsetFile: z.string().min(1).optional(),
    batchSize: positiveInt().default(512),
    /** Drop the short last batch (its samples would see fewer negatives). */
    dropLast: z.boolean().default(true),
    /** Per-channel normalisation applied after augmentation, in [0,1] units. */
    mean: z.array(z.number()).min(1).default([0.5]),
    std: z.array(z.number().positive()).min(1).default([0.5]),
    /**
     * Worker threads that base-augment the next batch while the current step runs; 0 augments on
     * the main thread. Omitted: one per core beyond the first (1 on a 2-core machine). The views
     * are the same either way.
     */
    workers: z.number().int().min(0).optional(),
  }),
  /** The base augmentation every view gets; docs/augmentations.md describes each step. */
  augmentation: z
    .strictObject({
      /** `simclr`: random resized crop, flip, colour jitter, grayscale (+ optional blur, solarize). */
      base: z.enum(['simclr', 'none']).default('simclr'),
      /** Random resized crop area range (the BCL authors: 0.1-1). */
      cropScale: z.tuple([z.number().gt(0), z.number().lte(1)]).default([0.1, 1]),
      cropRatio: z.tuple([z.number().gt(0), z.number().gt(0)]).default([3 / 4, 4 / 3]),
      flip: z.number().min(0).max(1).default(0.5),
      colorJitter: z
        .strictObject({
          probability: z.number().min(0).max(1).default(0.8),
          brightness: z.number().min(0).default(0.4),
          contrast: z.number().min(0).default(0.4),
          saturation: z.number().min(0).default(0.4),
          hue: z.number().min(0).max(0.5).default(0.1),
        })
        .prefault({}),
      grayscale: z.number().min(0).max(1).default(0.2),
      blur: z
        .strictObject({
          probability: z.number().min(0).max(1).default(0),
          sigma: z.tuple([z.number().gt(0), z.number().gt(0)]).default([0.1, 2]),
        })
        .prefault({}),
      solarize: z
        .strictObject({
          probability: z.number().min(0).max(1).default(0),
          threshold: z.number().min(0).max(256).default(128),
        })
        .prefault({}),
      /**
       * Per-view base pipelines replacing the method's declared ones (null keeps that view's):
       * `[{ "pipeline": [{ "op": "RandomResizedCrop", "scale": [0.2, 1] }, ...] }, null]`. Op names
       * and parameters are checked before training starts (docs/augmentations.md lists them).
       */
      views: z.array(z.strictObject({ pipeline: z.array(z.looseObject({ op: z.string().min(1) })) }).nullable()).optional(),
    })
    .prefault({}),
  optimizer: z
    .discriminatedUnion('type', [
      z.strictObject({
        type: z.literal('sgd'),
        lr: z.number().positive().default(0.5),
        momentum: z.number().min(0).lt(1).default(0.9),
        weightDecay: z.number().min(0).default(5e-4),
        nesterov: z.boolean().default(false),
      }),
      z.strictObject({
        type: z.literal('lars'),
        lr: z.number().positive().default(0.5),
        momentum: z.number().min(0).lt(1).default(0.9),
        weightDecay: z.number().min(0).default(1e-6),
        /** LARS trust coefficient. */
        eta: z.number().positive().default(0.001),
        /** BatchNorm parameters and biases get neither weight decay nor adaptation (as in SimCLR). */
        excludeBiasAndNorm: z.boolean().default(true),
      }),
    ])
    .prefault({ type: 'sgd' }),
  schedule: z
    .strictObject({
      type: z.enum(['cosine', 'constant']).default('cosine'),
      warmupEpochs: z.number().min(0).default(10),
      /** The lowest learning rate, as a fraction of the base rate. */
      floor: z.number().min(0).max(1).default(1e-6),
    })
    .prefault({}),
  checkpoint: z
    .strictObject({
      everyEpochs: positiveInt().default(1),
      /** Also checkpoint inside epochs every N steps (null: only at epoch ends). */
      everySteps: positiveInt().nullable().default(null),
      keepLast: positiveInt().default(3),
    })
    .prefault({}),
  logging: z
    .strictObject({
      /** Emit a step metrics line every N steps. */
      everySteps: positiveInt().default(10),
      /** Where metrics go: metrics.jsonl is always written; add "csv" (metrics.csv) and/or "tensorboard" (an event file). docs/metrics-sinks.md. */
      sinks: z.array(z.enum(METRIC_SINK_NAMES)).default(['jsonl']),
    })
    .prefault({}),
});

/** A recipe after `extends` resolution, validation and defaults. */
export type ResolvedRecipe = z.output<typeof RecipeSchema>;
/** A recipe as written in a file. */
export type RecipeInput = z.input<typeof RecipeSchema>;
export type DatasetSpec = z.output<typeof DatasetSchema>;
