/** Messages between `BaseViewPool` and its `view-worker` threads. Plain data only. */
import type { ResolvedViewPipelines } from './augmentation-from-recipe';
import type { ViewShape } from './base-views';

/** `workerData` of a data worker. */
export interface ViewWorkerInit {
  readonly seed: number;
  /** Every view's base pipeline as data (recipe settings filled in); the worker compiles them. */
  readonly pipelines: ResolvedViewPipelines;
  /** Modules that register the third-party ops the pipelines use; `require`d before compiling. */
  readonly modules: readonly string[];
  readonly shape: ViewShape;
  /** The whole dataset, image after image in index order, when it was shared once; else tasks carry pixels. */
  readonly sharedPixels?: SharedArrayBuffer;
}

/** Base-augment `indices` for `epoch`, `viewCount` views each. */
export interface ViewTask {
  readonly id: number;
  readonly epoch: number;
  readonly viewCount: number;
  readonly indices: Int32Array;
  /** The images of `indices`, back to back, when the dataset is not shared. */
  readonly pixels?: Uint8Array;
}

/** The worker's answer: views and generator states laid out as in `BaseViews`, or the error. */
export type ViewTaskReply =
  | { readonly id: number; readonly data: Uint8Array; readonly states: Uint32Array; readonly error?: undefined }
  | { readonly id: number; readonly error: { readonly message: string; readonly stack: string } };
