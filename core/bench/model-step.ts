import * as tf from '@tensorflow/tfjs';
import { ntXentPerView } from '../losses/nt-xent';
import { applyStateUpdates, type StateUpdate } from '../models/module';
import { createProjector } from '../models/projector';
import { createResNet } from '../models/resnet';
import { Rng } from '../random/rng';
import { Sgd } from '../train/optimizers/sgd';

/** The model and step that `bench peer` times here and in PyTorch (core/bench/peer/simclr_step.py). */
export interface ModelStepSpec {
  /** ResNet-18 base width (CIFAR stem): 8 for the default recipe, 64 for torchvision's. */
  readonly width: number;
  /** Images per view; the network sees 2 * batch images. */
  readonly batch: number;
  /** Square input side, 3 channels. Default 32 (CIFAR). */
  readonly size?: number;
}

/** Per-step wall times (ms) of `steps` timed steps after `warmup` untimed ones, and the kernel profile if asked. */
export interface ModelStepTiming {
  readonly stepsMs: number[];
  readonly medianMs: number;
  readonly minMs: number;
  /** Kernel name -> summed kernel time (ms) of one profiled step, largest first (`profile: true`). */
  readonly kernelMs?: [string, number][];
}

/**
 * One SimCLR step with no data pipeline: ResNet-18 (CIFAR stem) and the SimCLR projector on two
 * random views concatenated, NT-Xent (temperature 0.2), gradients, SGD (momentum 0.9, weight decay
 * 5e-4), BatchNorm running-statistics update, and one (asynchronous) host read of the loss, as the
 * trainer's step.
 * Runs on the active backend. `step` returns the loss and leaves no tensor behind; the caller
 * disposes the model with `dispose`.
 */
export function createModelStep(spec: ModelStepSpec): { step: () => Promise<number>; dispose: () => void } {
  const size = spec.size ?? 32;
  const rng = new Rng(0);
  const backbone = createResNet({ name: 'bench/backbone', rng, depth: 18, stem: 'cifar', baseWidth: spec.width, inputChannels: 3 });
  const projector = createProjector({ name: 'bench/projector', rng, inputDim: backbone.featureDim, outputDim: 128 });
  const variables = [...backbone.trainableVariables(), ...projector.trainableVariables()];
  const optimizer = new Sgd(variables, { momentum: 0.9, weightDecay: 5e-4, nesterov: false });
  const images = tf.randomNormal<tf.Rank.R4>([2 * spec.batch, size, size, 3], 0, 1, 'float32', 1);
  const step = async (): Promise<number> => {
    const stateUpdates: StateUpdate[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const z = projector.apply(backbone.apply(images, { training: true, stateUpdates }), { training: true, stateUpdates }) as tf.Tensor2D;
      const [z1, z2] = tf.split(z, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
      return tf.mean(ntXentPerView(z1, z2, 0.2)) as tf.Scalar;
    }, variables);
    // Asynchronous like the trainer's read (webgpu has no synchronous one); it also waits for the step.
    const loss = (await value.data())[0];
    optimizer.apply(grads, 0.1);
    applyStateUpdates(stateUpdates);
    for (const update of stateUpdates) update.value.dispose();
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  };
  return {
    step,
    dispose: () => {
      images.dispose();
      optimizer.dispose();
      projector.dispose();
      backbone.dispose();
    },
  };
}

/** Times `createModelStep(spec)` on the active backend; see `ModelStepTiming`. */
export async function timeModelStep(spec: ModelStepSpec, steps: number, warmup: number, profile = false): Promise<ModelStepTiming> {
  const { step, dispose } = createModelStep(spec);
  try {
    for (let i = 0; i < warmup; i++) await step();
    const stepsMs: number[] = [];
    for (let i = 0; i < steps; i++) {
      const start = performance.now();
      await step();
      stepsMs.push(performance.now() - start);
    }
    const sorted = [...stepsMs].sort((a, b) => a - b);
    let kernelMs: [string, number][] | undefined;
    if (profile) {
      const info = await tf.profile(async () => {
        await step();
      });
      const sums = new Map<string, number>();
      for (const k of info.kernels) {
        if (typeof k.kernelTimeMs === 'number') sums.set(k.name, (sums.get(k.name) ?? 0) + k.kernelTimeMs);
      }
      kernelMs = [...sums].sort((a, b) => b[1] - a[1]);
    }
    return { stepsMs, medianMs: sorted[sorted.length >> 1], minMs: sorted[0], kernelMs };
  } finally {
    dispose();
  }
}
