import { BclError } from '../errors';

/**
 * True when `error` is a backend running out of memory rather than a bug: the wasm module's
 * out-of-bounds access when its heap cannot grow, emscripten's abort, V8 failing to allocate a
 * typed array for a host read.
 */
export function isOutOfMemory(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'RuntimeError' && /memory access out of bounds/.test(error.message)) return true;
  return /Cannot enlarge memory|out of memory|Array buffer allocation failed|Maximum memory size exceeded/i.test(error.message) || /\bOOM\b/.test(error.message);
}

/** The named error for a training run that ran out of backend memory, keeping the original as its cause. */
export function outOfMemoryError(error: unknown, context: { readonly backend: string; readonly batchSize: number; readonly image: string }): BclError {
  const message = error instanceof Error ? error.message : String(error);
  return new BclError('OUT_OF_MEMORY', `the ${context.backend} backend ran out of memory training batches of ${context.batchSize} ${context.image} images (${message}).`, {
    hint: 'Lower data.batchSize (or the image size, or backbone.width); on wasm the whole run shares one 4 GiB heap. Checkpoints already written are intact; a smaller batch is a new run (--resume refuses a changed batch size).',
    cause: error,
  });
}
