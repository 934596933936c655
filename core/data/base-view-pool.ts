import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { BclError, type ErrorCode } from '../errors';
import type { ResolvedViewPipelines } from './augmentation-from-recipe';
import type { BaseViews, ViewShape } from './base-views';
import type { IndexedDataset } from './dataset';
import type { ViewTask, ViewTaskReply, ViewWorkerInit } from './view-worker-protocol';

/** Error code of a failed data worker (a crash, or an augmentation that threw inside one). */
export const DATA_WORKER_ERROR: ErrorCode = 'DATA_PIPELINE_FAILED';

/** Datasets up to this many bytes are copied once into shared memory; larger ones send each batch's pixels. */
export const DEFAULT_SHARE_LIMIT_BYTES = 256 * 1024 * 1024;

/** Options of `BaseViewPool`. */
export interface BaseViewPoolOptions {
  /** Worker threads (>= 1). A batch is split into this many contiguous chunks, one per worker. */
  readonly workers: number;
  readonly seed: number;
  /** Every view's base pipeline (`resolveViewPipelines`): the workers compile them. */
  readonly pipelines: ResolvedViewPipelines;
  /** Modules registering the third-party ops of the pipelines (`workerModules`). */
  readonly modules?: readonly string[];
  /** Share the dataset once when it has at most this many bytes (default 256 MiB); else send pixels per batch. */
  readonly shareLimitBytes?: number;
  /** The worker script (default: the compiled `view-worker.js` beside this file); for tests. */
  readonly workerFile?: string;
}

interface Pending {
  readonly resolve: (reply: ViewTaskReply & { error?: undefined }) => void;
  readonly reject: (error: unknown) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

/**
 * Worker threads that compute base views (`computeBaseViews`) off the main thread, so the next
 * batch is augmented while the current training step runs. Each worker compiles the views' base
 * pipelines (loading the modules of third-party ops) and either a shared copy of the dataset or receives each batch's pixels. A crashed
 * worker fails every pending and later request with a `BclError`; `dispose()` terminates all
 * workers. Idle workers are unref'd, so they never keep the process alive on their own.
 */
export class BaseViewPool {
  private readonly slots: Slot[] = [];
  private readonly shape: ViewShape;
  private readonly pixels: number;
  private readonly shared: boolean;
  private nextId = 0;
  private failure: BclError | undefined;
  private disposed = false;

  constructor(
    private readonly dataset: IndexedDataset,
    options: BaseViewPoolOptions,
  ) {
    if (!Number.isInteger(options.workers) || options.workers < 1) {
      throw new BclError('RECIPE_INVALID', `recipe.data.workers must be an integer >= 1 for a worker pool, but got ${options.workers}.`);
    }
    this.shape = dataset.imageShape;
    this.pixels = this.shape.height * this.shape.width * this.shape.channels;
    const bytes = dataset.size * this.pixels;
    this.shared = bytes <= (options.shareLimitBytes ?? DEFAULT_SHARE_LIMIT_BYTES);
    let sharedPixels: SharedArrayBuffer | undefined;
    if (this.shared) {
      sharedPixels = new SharedArrayBuffer(bytes);
      const view = new Uint8Array(sharedPixels);
      for (let i = 0; i < dataset.size; i++) view.set(dataset.image(i).data, i * this.pixels);
    }
    const init: ViewWorkerInit = { seed: options.seed, pipelines: options.pipelines, modules: options.modules ?? [], shape: this.shape, sharedPixels };
    const file = options.workerFile ?? path.join(__dirname, `view-worker${path.extname(__filename)}`);
    for (let w = 0; w < options.workers; w++) this.slots.push(this.startWorker(file, init, `data worker ${w + 1} of ${options.workers}`));
  }

  /** Workers in the pool. */
  get size(): number {
    return this.slots.length;
  }

  /** True when the dataset was copied once into shared memory (else each batch's pixels are sent). */
  get sharesDataset(): boolean {
    return this.shared;
  }

  /** Base views of `indices` in `epoch`, identical to `computeBaseViews` on this thread. */
  async augment(indices: Int32Array, epoch: number, viewCount: number): Promise<BaseViews> {
    if (this.failure) throw this.failure;
    if (this.disposed) throw new BclError(DATA_WORKER_ERROR, 'the data worker pool was disposed.');
    const count = indices.length;
    const chunks = Math.min(this.slots.length, count);
    const starts = Array.from({ length: chunks + 1 }, (_, c) => Math.round((c * count) / chunks));
    const parts = await Promise.all(
      Array.from({ length: chunks }, (_, c) => this.send(this.slots[c], indices.slice(starts[c], starts[c + 1]), epoch, viewCount)),
    );
    if (chunks === 1) return { count, viewCount, data: parts[0].data, states: parts[0].states };
    // Chunks are view-major each; interleave them into one view-major batch.
    const data = new Uint8Array(viewCount * count * this.pixels);
    const states = new Uint32Array(viewCount * count * 4);
    for (let c = 0; c < chunks; c++) {
      const length = starts[c + 1] - starts[c];
      for (let view = 0; view < viewCount; view++) {
        const from = view * length;
        const to = view * count + starts[c];
        data.set(parts[c].data.subarray(from * this.pixels, (from + length) * this.pixels), to * this.pixels);
        states.set(parts[c].states.subarray(from * 4, (from + length) * 4), to * 4);
      }
    }
    return { count, viewCount, data, states };
  }

  /** Terminates every worker; pending requests reject. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.rejectAll(new BclError(DATA_WORKER_ERROR, 'the data worker pool was disposed while a batch was being prepared.'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private startWorker(file: string, init: ViewWorkerInit, label: string): Slot {
    const worker = new Worker(file, { workerData: init, name: `bcl ${label}` });
    const slot: Slot = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (reply: ViewTaskReply) => {
      const pending = slot.pending.get(reply.id);
      if (!pending) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) worker.unref();
      if (reply.error) {
        const cause = Object.assign(new Error(reply.error.message), { stack: reply.error.stack });
        pending.reject(new BclError(DATA_WORKER_ERROR, `${label} failed to augment a batch: ${reply.error.message}`, {
          hint: 'Set data.workers to 0 to augment on the main thread and see the error there.',
          cause,
        }));
      } else pending.resolve(reply);
    });
    worker.on('error', (error) => this.fail(new BclError(DATA_WORKER_ERROR, `${label} crashed: ${error.message}`, {
      hint: 'Set data.workers to 0 to augment on the main thread; if that works, please report the crash.',
      cause: error,
    })));
    worker.on('messageerror', (error) => this.fail(new BclError(DATA_WORKER_ERROR, `${label} sent a message that could not be read: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => {
      if (this.disposed) return;
      this.fail(new BclError(DATA_WORKER_ERROR, `${label} exited unexpectedly with code ${code}.`, {
        hint: 'The worker may have run out of memory; set data.workers to 0 to augment on the main thread.',
      }));
    });
    return slot;
  }

  private send(slot: Slot, indices: Int32Array, epoch: number, viewCount: number): Promise<ViewTaskReply & { error?: undefined }> {
    const id = this.nextId++;
    let pixels: Uint8Array | undefined;
    if (!this.shared) {
      pixels = new Uint8Array(indices.length * this.pixels);
      for (let i = 0; i < indices.length; i++) pixels.set(this.dataset.image(indices[i]).data, i * this.pixels);
    }
    const task: ViewTask = { id, epoch, viewCount, indices, pixels };
    return new Promise((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage(task, pixels ? [indices.buffer as ArrayBuffer, pixels.buffer as ArrayBuffer] : [indices.buffer as ArrayBuffer]);
    });
  }

  /** First failure wins: every pending and later request rejects with it, and the other workers stop. */
  private fail(error: BclError): void {
    if (this.failure || this.disposed) return;
    this.failure = error;
    this.rejectAll(error);
    for (const slot of this.slots) void slot.worker.terminate();
  }

  private rejectAll(error: BclError): void {
    for (const slot of this.slots) {
      for (const pending of slot.pending.values()) pending.reject(error);
      slot.pending.clear();
      slot.worker.unref();
    }
  }
}
