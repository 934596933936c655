/**
 * Entry point of a data worker thread (started by `BaseViewPool`): base-augments the samples it is
 * sent with `computeBaseViews`, the same code the main thread runs, and posts back the uint8
 * views and generator states (transferred, not copied). Loads no tensor library (unless a
 * third-party op's module does).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { computeBaseViews } from './base-views';
import { baseAugmentationOf, compileViewPipelines } from './compile-view-pipelines';
import type { Image } from './image';
import type { ViewTask, ViewTaskReply, ViewWorkerInit } from './view-worker-protocol';

const init = workerData as ViewWorkerInit;
const { height, width, channels } = init.shape;
const pixels = height * width * channels;
// Third-party ops register themselves when their module loads (built-ins come with the compiler).
for (const module of init.modules) require(module);
const baseOf = baseAugmentationOf(compileViewPipelines(init.pipelines));
const shared = init.sharedPixels ? new Uint8Array(init.sharedPixels) : undefined;
const port = parentPort;
if (!port) throw new Error('view-worker must run in a worker thread');

port.on('message', (task: ViewTask) => {
  let reply: ViewTaskReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const { indices } = task;
    const source = shared ?? task.pixels;
    if (!source) throw new Error('the task carries no pixels and the worker has no shared copy of the dataset');
    // Shared: the whole dataset by dataset index. Per batch: the task's images by batch position.
    const imageAt = (i: number): Image => {
      const at = shared ? indices[i] : i;
      return { data: source.subarray(at * pixels, (at + 1) * pixels), height, width, channels };
    };
    const views = computeBaseViews(imageAt, baseOf, init.seed, indices, task.epoch, task.viewCount, init.shape);
    reply = { id: task.id, data: views.data, states: views.states };
    transfer = [views.data.buffer as ArrayBuffer, views.states.buffer as ArrayBuffer];
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { id: task.id, error: { message: e.message, stack: e.stack ?? '' } };
  }
  port.postMessage(reply, transfer);
});
