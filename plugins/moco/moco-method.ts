import * as tf from '@tensorflow/tfjs';
import {
  type Backbone,
  BclError,
  copyVariables,
  createMlp,
  type ForwardContext,
  l2Normalize,
  type Module,
  moduleVariables,
  momentumUpdate,
  pairVariables,
  type RunRandom,
  type SslMethod,
  type TrainingBatch,
  type VariablePair,
  withoutGradient,
} from '../../core/index';
import { enqueue, infoNcePerSample } from './moco-loss';
import type { MocoOptions } from './moco-options';

/** What a MoCo method is built from. */
export interface MocoParts {
  /** The query encoder's backbone (trained); named `moco/query/backbone`. Owned by the method. */
  readonly queryBackbone: Backbone;
  /** The key encoder's backbone, same architecture; named `moco/key/backbone`. Owned by the method. */
  readonly keyBackbone: Backbone;
  /** Draws for the heads (`moco/query/head`, `moco/key/head`) and the initial queue (`moco/queue`). */
  readonly random: RunRandom;
}

/**
 * MoCo v2 (He et al. 2020; Chen et al. 2020), symmetrised: each view's query is contrasted with the
 * other view's key against a queue of K keys from earlier steps. The key encoder (backbone + head)
 * is a momentum copy of the query encoder and gets no gradient.
 *
 * State outside the optimizer, all returned by `stateVariables()` so checkpoints hold it: the key
 * encoder's variables, the queue [K, D] and its pointer (float32 scalar).
 *
 * BatchNorm: the key encoder runs in training mode (batch statistics, as in MoCo) but records no
 * running-statistic updates; its running statistics follow the query's by the same momentum as the
 * weights, so the key encoder is a complete momentum copy. (In MoCo the key encoder's buffers are
 * updated by its own forward passes; they are never used, since it always runs in training mode.)
 * Shuffling BN (MoCo's multi-GPU trick against batch-statistic leakage) is not done.
 *
 * Lifecycle per step: `loss` computes the keys and keeps them; `afterStep` (the plugin's
 * `onAfterStep`) moves the key encoder and enqueues the kept keys, then frees them.
 */
export class MocoMethod implements SslMethod {
  readonly views = 2;
  private readonly queryBackbone: Backbone;
  private readonly keyBackbone: Backbone;
  private readonly queryHead: Module;
  private readonly keyHead: Module;
  private readonly queue: tf.Variable;
  private readonly pointer: tf.Variable;
  private readonly momentumPairs: VariablePair[];
  /** Keys [2B, D] of the last `loss`, waiting to be enqueued; owned by the method (kept). */
  private pendingKeys: tf.Tensor2D | undefined;
  private disposed = false;

  constructor(parts: MocoParts, private readonly options: MocoOptions) {
    this.queryBackbone = parts.queryBackbone;
    this.keyBackbone = parts.keyBackbone;
    const sizes = [this.queryBackbone.featureDim, options.hiddenDim || this.queryBackbone.featureDim, options.projectionDim];
    // MoCo v2's head: Linear-ReLU-Linear, no BatchNorm.
    this.queryHead = createMlp({ name: 'moco/query/head', rng: parts.random.stream('moco/query/head'), sizes, batchNorm: false });
    this.keyHead = createMlp({ name: 'moco/key/head', rng: parts.random.stream('moco/key/head'), sizes, batchNorm: false });
    this.queue = createQueue(parts.random, options.queueSize, options.projectionDim);
    this.pointer = tf.tidy(() => tf.variable(tf.scalar(0, 'float32'), false, 'moco/queue-pointer'));
    this.momentumPairs = pairVariables(this.keyEncoderVariables(), this.queryEncoderVariables(), 'moco');
    copyVariables(this.momentumPairs);
  }

  trainableVariables(): tf.Variable[] {
    return [...this.queryBackbone.trainableVariables(), ...this.queryHead.trainableVariables()];
  }

  stateVariables(): tf.Variable[] {
    return [
      ...this.queryBackbone.stateVariables(),
      ...this.queryHead.stateVariables(),
      ...this.keyEncoderVariables(),
      this.queue,
      this.pointer,
    ];
  }

  /** Per-view InfoNCE [2, B]: row 0 is query 1 against key 2, row 1 query 2 against key 1. */
  loss(batch: TrainingBatch, context: ForwardContext): tf.Tensor2D {
    if (batch.views.length !== 2) {
      throw new BclError('PLUGIN_FAILED', `MoCo expects 2 views per sample, but got ${batch.views.length}.`, { plugin: 'moco' });
    }
    const [view1, view2] = batch.views;
    return tf.tidy(() => {
      const query1 = this.query(view1, context);
      const query2 = this.query(view2, context);
      // Each view goes through the key encoder on its own, as MoCo's per-view forward passes do.
      const keys = withoutGradient(([a, b]) => tf.concat([this.key(a), this.key(b)], 0), [view1, view2]) as tf.Tensor2D;
      const size = view1.shape[0];
      const [key1, key2] = tf.split(keys, [size, size], 0) as [tf.Tensor2D, tf.Tensor2D];
      const { temperature } = this.options;
      const perView = tf.stack([
        infoNcePerSample(query1, key2, this.queue as tf.Tensor2D, temperature),
        infoNcePerSample(query2, key1, this.queue as tf.Tensor2D, temperature),
      ]) as tf.Tensor2D;
      // The keys outlive this tidy (and the gradient tape) until `afterStep` enqueues them. A loss
      // that never reached its step (e.g. a non-finite loss) leaves keys that are simply replaced.
      this.pendingKeys?.dispose();
      this.pendingKeys = tf.keep(keys);
      return perView;
    });
  }

  /**
   * After the optimizer step: the key encoder takes a momentum step towards the query encoder, and
   * the keys of the last `loss` replace the oldest entries of the queue.
   */
  afterStep(): void {
    momentumUpdate(this.momentumPairs, this.options.momentum);
    const keys = this.pendingKeys;
    if (!keys) return;
    this.pendingKeys = undefined;
    tf.tidy(() => {
      const next = enqueue(this.queue as tf.Tensor2D, this.pointer as tf.Scalar, keys);
      this.queue.assign(next.queue);
      this.pointer.assign(next.pointer);
    });
    keys.dispose();
  }

  encode(images: tf.Tensor4D): tf.Tensor2D {
    return this.queryBackbone.apply(images, { training: false }) as tf.Tensor2D;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pendingKeys?.dispose();
    this.pendingKeys = undefined;
    this.pointer.dispose();
    this.queue.dispose();
    this.keyHead.dispose();
    this.queryHead.dispose();
    this.keyBackbone.dispose();
    this.queryBackbone.dispose();
  }

  /** Unit-norm query embeddings [B, D]; BatchNorm records its updates in `context`. Caller owns the result. */
  private query(images: tf.Tensor4D, context: ForwardContext): tf.Tensor2D {
    return tf.tidy(() => l2Normalize(this.queryHead.apply(this.queryBackbone.apply(images, context), context) as tf.Tensor2D));
  }

  /** Unit-norm keys [B, D]: training-mode BatchNorm, no state updates. Caller owns the result. */
  private key(images: tf.Tensor): tf.Tensor2D {
    const context: ForwardContext = { training: true };
    return tf.tidy(() => l2Normalize(this.keyHead.apply(this.keyBackbone.apply(images, context), context) as tf.Tensor2D));
  }

  private queryEncoderVariables(): tf.Variable[] {
    return moduleVariables(this.queryBackbone, this.queryHead);
  }

  private keyEncoderVariables(): tf.Variable[] {
    return moduleVariables(this.keyBackbone, this.keyHead);
  }
}

/** MoCo's initial queue: K standard-normal vectors scaled to unit length, [K, D]. */
function createQueue(random: RunRandom, size: number, dim: number): tf.Variable {
  const rng = random.stream('moco/queue');
  const values = Float32Array.from({ length: size * dim }, () => rng.normal());
  return tf.tidy(() => tf.variable(l2Normalize(tf.tensor2d(values, [size, dim])), false, 'moco/queue'));
}
