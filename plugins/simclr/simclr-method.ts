import * as tf from '@tensorflow/tfjs';
import { createProjector, ntXentPerView, type ForwardContext, type Module, type SslMethod, type TrainingBatch } from '../../core/index';

/** SimCLR options (recipe `method`). */
export interface SimclrOptions {
  /** NT-Xent temperature; the BCL authors use 0.2 (SimCLR's paper: 0.1-0.5). Default 0.2. */
  readonly temperature: number;
  /** Projector output width. Default 128. */
  readonly projectionDim: number;
  /** Projector hidden width; 0 means the backbone's feature width (the authors' head). Default 0. */
  readonly hiddenDim: number;
}

/**
 * SimCLR (Chen et al., 2020): a backbone and a projection head trained so the two views of a sample
 * are closer to each other than to the other 2B-2 embeddings of the batch (NT-Xent).
 */
export class SimclrMethod implements SslMethod {
  readonly views = 2;
  private readonly projector: Module;
  private disposed = false;

  constructor(
    private readonly backbone: Module & { readonly featureDim: number },
    projectorRng: Parameters<typeof createProjector>[0]['rng'],
    private readonly options: SimclrOptions,
  ) {
    this.projector = createProjector({
      name: 'simclr/projector',
      rng: projectorRng,
      inputDim: backbone.featureDim,
      hiddenDim: options.hiddenDim || backbone.featureDim,
      outputDim: options.projectionDim,
    });
  }

  trainableVariables(): tf.Variable[] {
    return [...this.backbone.trainableVariables(), ...this.projector.trainableVariables()];
  }

  stateVariables(): tf.Variable[] {
    return [...this.backbone.stateVariables(), ...this.projector.stateVariables()];
  }

  loss(batch: TrainingBatch, context: ForwardContext): tf.Tensor2D {
    return tf.tidy(() => {
      // Both views go through the network as one batch, as the authors do: BatchNorm statistics
      // are then shared by the 2B images.
      const images = tf.concat(batch.views as tf.Tensor4D[], 0);
      const embeddings = this.projector.apply(this.backbone.apply(images, context), context) as tf.Tensor2D;
      const size = batch.indices.length;
      const [z1, z2] = tf.split(embeddings, [size, size], 0) as [tf.Tensor2D, tf.Tensor2D];
      return ntXentPerView(z1, z2, this.options.temperature);
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
