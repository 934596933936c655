import * as tf from '@tensorflow/tfjs';
import {
  type Backbone,
  BclError,
  createMlp,
  type ForwardContext,
  type Module,
  type RunRandom,
  type SslMethod,
  type TrainingBatch,
} from '../../core/index';
import { negativeCosine, stopGradient } from './simsiam-loss';
import type { SimsiamOptions } from './simsiam-options';

/**
 * SimSiam (Chen & He 2021): one network (backbone + projector) and a predictor; each view's
 * prediction is pulled towards the other view's projection, which is treated as a constant
 * (stop-gradient). No negatives, no momentum encoder: the method's only state is BatchNorm's
 * running statistics.
 */
export class SimsiamMethod implements SslMethod {
  readonly views = 2;
  private readonly projector: Module;
  private readonly predictor: Module;
  private disposed = false;

  /** `backbone` (named `simsiam/backbone`) is owned by the method; `random` draws the heads. */
  constructor(private readonly backbone: Backbone, random: RunRandom, options: SimsiamOptions) {
    const features = backbone.featureDim;
    const width = options.projectionDim || features;
    const bottleneck = options.predictorHiddenDim || Math.max(1, Math.round(width / 4));
    const layers = options.projectorLayers;
    // SimSiam's projector: (Linear-BN-ReLU) x (layers - 1), Linear, BN without affine terms. No
    // biases: each Linear feeds a BatchNorm that would cancel them.
    this.projector = createMlp({
      name: 'simsiam/projector',
      rng: random.stream('simsiam/projector'),
      sizes: [features, ...Array.from({ length: layers }, () => width)],
      batchNorm: true,
      lastBatchNorm: true,
      lastBatchNormAffine: false,
      bias: false,
    });
    // The predictor: a bottleneck Linear-BN-ReLU-Linear (bias only on the last layer).
    this.predictor = createMlp({
      name: 'simsiam/predictor',
      rng: random.stream('simsiam/predictor'),
      sizes: [width, bottleneck, width],
      batchNorm: true,
      bias: [false, true],
    });
  }

  trainableVariables(): tf.Variable[] {
    return [...this.backbone.trainableVariables(), ...this.projector.trainableVariables(), ...this.predictor.trainableVariables()];
  }

  stateVariables(): tf.Variable[] {
    return [...this.backbone.stateVariables(), ...this.projector.stateVariables(), ...this.predictor.stateVariables()];
  }

  /** Per-view loss [2, B]: row 0 is `-cos(p1, sg(z2))`, row 1 `-cos(p2, sg(z1))`. */
  loss(batch: TrainingBatch, context: ForwardContext): tf.Tensor2D {
    if (batch.views.length !== 2) {
      throw new BclError('PLUGIN_FAILED', `SimSiam expects 2 views per sample, but got ${batch.views.length}.`, { plugin: 'simsiam' });
    }
    const [view1, view2] = batch.views;
    return tf.tidy(() => {
      // One pass per view, as SimSiam does: BatchNorm statistics are per view.
      const projection1 = this.project(view1, context);
      const projection2 = this.project(view2, context);
      const prediction1 = this.predictor.apply(projection1, context) as tf.Tensor2D;
      const prediction2 = this.predictor.apply(projection2, context) as tf.Tensor2D;
      return tf.stack([
        negativeCosine(prediction1, stopGradient(projection2)),
        negativeCosine(prediction2, stopGradient(projection1)),
      ]) as tf.Tensor2D;
    });
  }

  encode(images: tf.Tensor4D): tf.Tensor2D {
    return this.backbone.apply(images, { training: false }) as tf.Tensor2D;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.predictor.dispose();
    this.projector.dispose();
    this.backbone.dispose();
  }

  /** Projections [B, width]; BatchNorm records its updates in `context`. Caller owns the result. */
  private project(images: tf.Tensor4D, context: ForwardContext): tf.Tensor2D {
    return tf.tidy(() => this.projector.apply(this.backbone.apply(images, context), context) as tf.Tensor2D);
  }
}
