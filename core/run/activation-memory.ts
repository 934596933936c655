import { BclError } from '../errors';
import type { ResolvedRecipe } from '../recipes/recipe-schema';

/** Largest wasm heap tfjs-backend-wasm can grow to (emscripten's getHeapMax: 4 GiB less one 64 KiB page). */
export const WASM_HEAP_MAX_BYTES = 4294901760;

const BLOCKS = { 18: [2, 2, 2, 2], 34: [3, 4, 6, 3], 50: [3, 4, 6, 3] } as const;
const STAGE_STRIDES = [1, 2, 2, 2] as const;

type Backbone = ResolvedRecipe['backbone'];
type ImageShape = { readonly height: number; readonly width: number; readonly channels: number };

/** Output size of a convolution or pooling with `kernel`, `stride` and `padding` (floor, as tfjs and PyTorch). */
function outSize(size: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}

/**
 * Floats one image's convolution outputs take in one forward pass of the recipe's ResNet: the
 * network input plus every convolution's output (stem, each block's convolutions, the shortcut
 * projections). Training holds all of them until the backward pass (each is the input of the
 * BatchNorm after it), so this is a lower bound on the activation memory; the BatchNorm and ReLU
 * outputs held beside them make the real figure about three times larger.
 */
export function convOutputFloatsPerImage(backbone: Backbone, image: ImageShape): number {
  let h = image.height;
  let w = image.width;
  let floats = h * w * image.channels;
  if (backbone.stem === 'imagenet') {
    h = outSize(h, 7, 2, 3);
    w = outSize(w, 7, 2, 3);
    floats += h * w * backbone.width;
    h = outSize(h, 3, 2, 1);
    w = outSize(w, 3, 2, 1);
  } else {
    floats += h * w * backbone.width;
  }
  const bottleneck = backbone.depth === 50;
  const expansion = bottleneck ? 4 : 1;
  let inChannels = backbone.width;
  BLOCKS[backbone.depth].forEach((blocks, stage) => {
    const planes = backbone.width * 2 ** stage;
    for (let block = 0; block < blocks; block++) {
      const stride = block === 0 ? STAGE_STRIDES[stage] : 1;
      const oh = outSize(h, 3, stride, 1);
      const ow = outSize(w, 3, stride, 1);
      if (bottleneck) floats += h * w * planes + oh * ow * planes + oh * ow * planes * expansion; // 1x1, 3x3 (strided), 1x1
      else floats += 2 * oh * ow * planes; // two 3x3
      if (stride !== 1 || inChannels !== planes * expansion) floats += oh * ow * planes * expansion; // shortcut projection
      inChannels = planes * expansion;
      h = oh;
      w = ow;
    }
  });
  return floats;
}

/**
 * Refuses, before any tensor exists, a batch whose activations cannot fit the wasm heap. Without
 * it such a batch got as far as the first forward pass and died inside the wasm module with
 * "memory access out of bounds". Only the lower bound of {@link convOutputFloatsPerImage} (one view,
 * float32) is compared with the heap, so a recipe this accepts may still not fit; it never refuses
 * one that does.
 */
export function checkActivationMemory(recipe: ResolvedRecipe, image: ImageShape, backend: string): void {
  if (backend !== 'wasm') return;
  const perImage = 4 * convOutputFloatsPerImage(recipe.backbone, image);
  const needed = perImage * recipe.data.batchSize;
  if (needed <= WASM_HEAP_MAX_BYTES) return;
  const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(1);
  const largest = Math.floor(WASM_HEAP_MAX_BYTES / perImage);
  const { depth, width, stem } = recipe.backbone;
  throw new BclError(
    'RECIPE_INVALID',
    `recipe.data.batchSize ${recipe.data.batchSize} cannot fit the wasm backend's 4 GiB heap: one view of ${image.height}x${image.width}x${image.channels} images through ResNet-${depth} (width ${width}, ${stem} stem) holds at least ${gib(needed)} GiB of convolution outputs for the backward pass.`,
    {
      hint:
        largest >= 1
          ? `Lower data.batchSize well below ${largest} (that bound counts only the convolution outputs; BatchNorm and ReLU outputs about triple it), use smaller images or backbone.width, or train on --backend webgpu.`
          : 'Not even one image fits: use smaller images or backbone.width, or train on --backend webgpu.',
    },
  );
}
