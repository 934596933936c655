import type { ResolvedRecipe } from '../recipes/recipe-schema';

/**
 * The JSON written beside an exported backbone (`backbone.json`, also in the safetensors
 * `__metadata__` under `bcl-ssl`): everything needed to build the matching torchvision-style
 * ResNet and feed it images as training did. docs/export.md shows the PyTorch code.
 */
export interface BackboneArchitecture {
  readonly format: 'bcl-ssl/backbone@1';
  readonly arch: 'resnet';
  readonly depth: 18 | 34 | 50;
  /** torchvision's block class and per-stage block counts. */
  readonly block: 'BasicBlock' | 'Bottleneck';
  readonly layers: readonly number[];
  readonly expansion: 1 | 4;
  /** Channels of the stem and of each stage's `planes` (torchvision: 64, 128, 256, 512). */
  readonly baseWidth: number;
  readonly planes: readonly number[];
  /** 'cifar': conv1 3x3 stride 1 padding 1 and no max-pool; 'imagenet': torchvision's 7x7/2 conv and 3x3/2 max-pool. */
  readonly stem: 'cifar' | 'imagenet';
  readonly conv1: { readonly kernelSize: number; readonly stride: number; readonly padding: number };
  readonly maxPool: { readonly kernelSize: 3; readonly stride: 2; readonly padding: 1 } | null;
  readonly inputChannels: number;
  /** Width of the globally average-pooled features (torchvision's `fc.in_features`). */
  readonly featureDim: number;
  /** No classifier is exported: build the model with `fc = nn.Identity()`. */
  readonly fc: null;
  readonly batchNorm: { readonly eps: number; readonly momentum: number };
  /** How training fed images: NCHW float32 in PyTorch, `(pixel / 255 - mean[c]) / std[c]`. */
  readonly input: { readonly layout: 'NCHW'; readonly height: number; readonly width: number; readonly mean: readonly number[]; readonly std: readonly number[] };
  readonly tensors: number;
  readonly parameters: number;
  readonly source: {
    readonly run: string;
    readonly checkpoint: string;
    readonly method: string;
    /** Variable prefix of the exported backbone in the run, e.g. `simclr/backbone`. */
    readonly backbone: string;
    readonly epoch: number;
    readonly step: number;
    /** What `num_batches_tracked` holds: the run's optimizer steps. */
    readonly numBatchesTracked: string;
  };
}

const LAYERS = { 18: [2, 2, 2, 2], 34: [3, 4, 6, 3], 50: [3, 4, 6, 3] } as const;

/** The architecture of a recipe's backbone for images of `imageShape`. */
export function backboneArchitecture(
  recipe: ResolvedRecipe,
  imageShape: { readonly height: number; readonly width: number; readonly channels: number },
  counts: { readonly tensors: number; readonly parameters: number },
  source: BackboneArchitecture['source'],
): BackboneArchitecture {
  const { depth, stem, width } = recipe.backbone;
  const expansion = depth === 50 ? 4 : 1;
  const perChannel = (values: readonly number[]): number[] => Array.from({ length: imageShape.channels }, (_, c) => values[values.length === 1 ? 0 : c]);
  return {
    format: 'bcl-ssl/backbone@1',
    arch: 'resnet',
    depth,
    block: expansion === 4 ? 'Bottleneck' : 'BasicBlock',
    layers: LAYERS[depth],
    expansion,
    baseWidth: width,
    planes: [0, 1, 2, 3].map((stage) => width * 2 ** stage),
    stem,
    conv1: stem === 'imagenet' ? { kernelSize: 7, stride: 2, padding: 3 } : { kernelSize: 3, stride: 1, padding: 1 },
    maxPool: stem === 'imagenet' ? { kernelSize: 3, stride: 2, padding: 1 } : null,
    inputChannels: imageShape.channels,
    featureDim: width * 8 * expansion,
    fc: null,
    // core/models/batch-norm.ts defaults, which createResNet uses.
    batchNorm: { eps: 1e-5, momentum: 0.1 },
    input: { layout: 'NCHW', height: imageShape.height, width: imageShape.width, mean: perChannel(recipe.data.mean), std: perChannel(recipe.data.std) },
    ...counts,
    source,
  };
}
