import * as tf from '@tensorflow/tfjs';
import { createMlp, type ForwardContext, type Module, type Rng, type SslMethod, type TrainingBatch } from '../../core/index';
import { barlowTwinsPerSample } from './barlow-twins-loss';

/** Barlow Twins options (recipe `method`). */
export interface BarlowTwinsOptions {
  /**
   * Weight of the redundancy-reduction (off-diagonal) term. The authors' code: 0.0051 (the paper's
   * text rounds it to 5e-3). Default 0.0051.
   */
  readonly lambda: number;
  /** Linear layers of the projector. Paper: 3. Default 3. */
  readonly projectorLayers: number;
  /**
   * Width of the projector's hidden layers; 0 means 4 x the backbone's feature width. Paper: 8192
   * on ResNet-50's 2048 features (4x); the default keeps that ratio, 256 for a width-8 ResNet-18.
   */
  readonly hiddenDim: number;
  /** Embedding width (the cross-correlation is D x D); 0 means 4 x the feature width. Paper: 8192. */
  readonly projectionDim: number;
}

/**
 * Barlow Twins (Zbontar et al. 2021): a backbone and projector trained so the cross-correlation
 * of the two views' batch-standardised embeddings approaches the identity: invariant to the
 * augmentation (diagonal 1), with decorrelated dimensions (off-diagonal 0). No negatives, no
 * momentum encoder.
 */
export class BarlowTwinsMethod implements SslMethod {
  readonly views = 2;
  private readonly projector: Module;
  private disposed = false;

  constructor(
    private readonly backbone: Module & { readonly featureDim: number },
    projectorRng: Rng,
    private readonly options: BarlowTwinsOptions,
  ) {
    const hidden = options.hiddenDim || 4 * backbone.featureDim;
    const output = options.projectionDim || 4 * backbone.featureDim;
    // The authors' projector: Linear-BN-ReLU for the hidden layers, a last Linear, no biases.
    this.projector = createMlp({
      name: 'barlow-twins/projector',
      rng: projectorRng,
      sizes: [backbone.featureDim, ...Array<number>(options.projectorLayers - 1).fill(hidden), output],
      batchNorm: true,
      lastBatchNorm: false,
      bias: false,
    });
  }

  trainableVariables(): tf.Variable[] {
    return [...this.backbone.trainableVariables(), ...this.projector.trainableVariables()];
  }

  stateVariables(): tf.Variable[] {
    return [...this.backbone.stateVariables(), ...this.projector.stateVariables()];
  }

  /**
   * Per-sample shares of the Barlow Twins loss (see `barlowTwinsPerSample`), `[2, B]`, both rows
   * equal. Each view goes through the network on its own, as in the authors' code, so BatchNorm
   * statistics are per view.
   */
  loss(batch: TrainingBatch, context: ForwardContext): tf.Tensor2D {
    return tf.tidy(() => {
      const [z1, z2] = batch.views.map(
        (view) => this.projector.apply(this.backbone.apply(view, context), context) as tf.Tensor2D,
      );
      return barlowTwinsPerSample(z1, z2, this.options.lambda);
    });
  }

  encode(images: tf.Tensor4D): tf.Tensor2D {
    return this.backbone.apply(images, { training: false }) as tf.Tensor2D;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.projector.dispose();
    this.backbone.dispose();
  }
}
