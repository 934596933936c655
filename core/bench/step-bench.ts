import type { DependencyContainer } from 'tsyringe';
import { isBclError } from '../errors';
import { EventBus } from '../events/event-bus';
import type { BackendName } from '../backends/select-backend';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { train } from '../run/train';

/** Timing of full training steps (views, forward, loss, backward, optimizer) on one backend. */
export interface StepTiming {
  readonly backend: string;
  readonly batchSize: number;
  readonly views: number;
  /** Median wall time of the timed steps, in milliseconds. */
  readonly medianMs: number;
  readonly minMs: number;
  /** Images (views included) per second at the median. */
  readonly imagesPerSecond: number;
  readonly timedSteps: number;
  /** Each timed step's wall time, in order. */
  readonly stepsMs: number[];
}

/**
 * Runs `warmup + steps` training steps of `recipe` on `backend` through the real trainer and returns
 * the median step time of the last `steps`. Data augmentation is included, as in training.
 */
export async function benchmarkSteps(recipe: ResolvedRecipe, backend: BackendName, steps: number, warmup: number, container?: DependencyContainer): Promise<StepTiming> {
  const events = new EventBus();
  const stamps: number[] = [];
  const total = steps + warmup;
  // Stop the run once enough steps are timed; the trainer checks the signal after every step.
  const stop = new AbortController();
  events.on('progress', () => {
    stamps.push(performance.now());
    if (stamps.length >= total) stop.abort();
  });
  let started = 0;
  events.on('log', (e) => {
    if (e.message.startsWith('dataset:')) started = performance.now();
  });
  const stepsPerEpoch = Math.max(1, Math.floor(datasetSizeHint(recipe) / recipe.data.batchSize));
  const epochs = Math.ceil(total / stepsPerEpoch);
  try {
    await train({ recipe: { ...recipe, epochs }, backend, events, container, signal: stop.signal });
  } catch (error) {
    if (!(isBclError(error) && error.code === 'INTERRUPTED')) throw error;
  }
  const durations = stamps.map((t, i) => t - (i === 0 ? started : stamps[i - 1])).slice(warmup, total);
  const sorted = [...durations].sort((a, b) => a - b);
  const medianMs = sorted[Math.floor(sorted.length / 2)];
  return {
    backend,
    batchSize: recipe.data.batchSize,
    views: 2,
    medianMs,
    minMs: sorted[0],
    imagesPerSecond: (2 * recipe.data.batchSize * 1000) / medianMs,
    timedSteps: durations.length,
    stepsMs: durations,
  };
}

function datasetSizeHint(recipe: ResolvedRecipe): number {
  return recipe.data.dataset.type === 'synthetic' ? recipe.data.dataset.size : 2478;
}

