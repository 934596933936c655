import * as tf from '@tensorflow/tfjs';
import {
  type Backbone,
  BclError,
  copyVariables,
  createMlp,
  type ForwardContext,
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
import { regressionLoss, targetMomentum } from './byol-loss';
import type { ByolOptions } from './byol-options';

/** What a BYOL method is built from. */
export interface ByolParts {
  /** The online backbone (trained); named `byol/online/backbone`. Owned by the method. */
  readonly onlineBackbone: Backbone;
  /** The target backbone, same architecture; named `byol/target/backbone`. Owned by the method. */
  readonly targetBackbone: Backbone;
  /** Draws for the projectors and the predictor (`byol/online/...`, `byol/target/...`). */
  readonly random: RunRandom;
}

/**
 * BYOL (Grill et al. 2020): an online network (backbone, projector, predictor) learns to predict
 * a target network's projection of the other view. The target (backbone + projector) gets no
 * gradient; after every step it moves towards the online network by an exponential moving average
 * whose rate tau rises from `baseMomentum` to 1 on a cosine over the run.
 *
 * State outside the optimizer, returned by `stateVariables()` so checkpoints hold it: the target
 * network's variables. tau depends only on the global step, so nothing else needs saving.
 *
 * BatchNorm: the target runs in training mode (batch statistics, as in BYOL) and records no
 * running-statistic updates; its running statistics follow the online ones by the same moving
 * average as the weights.
 */
export class ByolMethod implements SslMethod {
  readonly views = 2;
  private readonly onlineBackbone: Backbone;
  private readonly targetBackbone: Backbone;
  private readonly onlineProjector: Module;
  private readonly predictor: Module;
  private readonly targetProjector: Module;
  private readonly targetPairs: VariablePair[];
  private disposed = false;

  constructor(parts: ByolParts, private readonly options: ByolOptions) {
    this.onlineBackbone = parts.onlineBackbone;
    this.targetBackbone = parts.targetBackbone;
    const features = this.onlineBackbone.featureDim;
    const hidden = options.hiddenDim || 2 * features;
    const head = (name: string, input: number) =>
      createMlp({ name, rng: parts.random.stream(name), sizes: [input, hidden, options.projectionDim], batchNorm: true });
    this.onlineProjector = head('byol/online/projector', features);
    this.predictor = head('byol/online/predictor', options.projectionDim);
    this.targetProjector = head('byol/target/projector', features);
    this.targetPairs = pairVariables(this.targetVariables(), this.onlineTargetVariables(), 'byol');
    copyVariables(this.targetPairs);
  }

  trainableVariables(): tf.Variable[] {
    return [
      ...this.onlineBackbone.trainableVariables(),
      ...this.onlineProjector.trainableVariables(),
      ...this.predictor.trainableVariables(),
    ];
  }

  stateVariables(): tf.Variable[] {
    return [
      ...this.onlineBackbone.stateVariables(),
      ...this.onlineProjector.stateVariables(),
      ...this.predictor.stateVariables(),
      ...this.targetVariables(),
    ];
  }

  /** Per-view loss [2, B]: row 0 is `2 - 2cos(p1, z'2)`, row 1 `2 - 2cos(p2, z'1)`. */
  loss(batch: TrainingBatch, context: ForwardContext): tf.Tensor2D {
    if (batch.views.length !== 2) {
      throw new BclError('PLUGIN_FAILED', `BYOL expects 2 views per sample, but got ${batch.views.length}.`, { plugin: 'byol' });
    }
    const [view1, view2] = batch.views;
    return tf.tidy(() => {
      // One pass per view, as BYOL does: BatchNorm statistics are per view.
      const prediction1 = this.predict(view1, context);
      const prediction2 = this.predict(view2, context);
      const targets = withoutGradient(([a, b]) => tf.concat([this.target(a), this.target(b)], 0), [view1, view2]) as tf.Tensor2D;
      const size = view1.shape[0];
      const [target1, target2] = tf.split(targets, [size, size], 0) as [tf.Tensor2D, tf.Tensor2D];
      return tf.stack([regressionLoss(prediction1, target2), regressionLoss(prediction2, target1)]) as tf.Tensor2D;
    });
  }

  /**
   * After optimizer step `step` (0-based) of `totalSteps`: every target variable becomes
   * `tau * target + (1 - tau) * online`, with tau from BYOL's cosine schedule. Returns tau.
   */
  afterStep(step: number, totalSteps: number): number {
    const tau = targetMomentum(this.options.baseMomentum, step, totalSteps);
    momentumUpdate(this.targetPairs, tau);
    return tau;
  }

  encode(images: tf.Tensor4D): tf.Tensor2D {
    return this.onlineBackbone.apply(images, { training: false }) as tf.Tensor2D;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.targetProjector.dispose();
    this.predictor.dispose();
    this.onlineProjector.dispose();
    this.targetBackbone.dispose();
    this.onlineBackbone.dispose();
  }

  /** Online predictions [B, P]; BatchNorm records its updates in `context`. Caller owns the result. */
  private predict(images: tf.Tensor4D, context: ForwardContext): tf.Tensor2D {
    return tf.tidy(() => {
      const projection = this.onlineProjector.apply(this.onlineBackbone.apply(images, context), context);
      return this.predictor.apply(projection, context) as tf.Tensor2D;
    });
  }

  /** Target projections [B, P]: training-mode BatchNorm, no state updates. Caller owns the result. */
  private target(images: tf.Tensor): tf.Tensor2D {
    const context: ForwardContext = { training: true };
    return tf.tidy(() => this.targetProjector.apply(this.targetBackbone.apply(images, context), context) as tf.Tensor2D);
  }

  /** The online variables the target mirrors (backbone and projector, weights and statistics). */
  private onlineTargetVariables(): tf.Variable[] {
    return moduleVariables(this.onlineBackbone, this.onlineProjector);
  }

  private targetVariables(): tf.Variable[] {
    return moduleVariables(this.targetBackbone, this.targetProjector);
  }
}
