import * as tf from '@tensorflow/tfjs';
import { createProjector, ntXentPerView, type ForwardContext, type Module, type Rng, type SslMethod, type TrainingBatch } from '../../core/index';
import { pruneByMagnitude, type PruningResult } from './magnitude-pruning';
import { createPrunedBranch, type PrunedBranch } from './pruned-branch';

/** SDCLR options (recipe `method`). */
export interface SdclrOptions {
  /** NT-Xent temperature; the SDCLR and BCL authors use 0.2. Default 0.2. */
  readonly temperature: number;
  /**
   * Fraction of all conv weights the pruned branch drops, by global magnitude, in [0, 1). The
   * authors' `prune_percent`: 0.9. Default 0.9.
   */
  readonly pruneRatio: number;
  /** Projector output width. The BCL authors: 128. Default 128. */
  readonly projectionDim: number;
  /** Projector hidden width; 0 means the backbone's feature width (the authors' `proj_head`). Default 0. */
  readonly hiddenDim: number;
}

/**
 * SDCLR (Jiang et al. 2021, "Self-Damaging Contrastive Learning"), the base of BCL-D: the dense
 * network embeds view 1, a magnitude-pruned copy that shares its weights (but has its own
 * BatchNorm layers) embeds view 2, and NT-Xent pulls the two together. Samples the pruned network
 * forgets first (the tail) get a larger loss, so contrastive learning attends to them.
 */
export class SdclrMethod implements SslMethod {
  readonly views = 2;
  private readonly projector: Module;
  private readonly pruned: PrunedBranch;
  private disposed = false;

  constructor(
    private readonly backbone: Module & { readonly featureDim: number },
    projectorRng: Rng,
    private readonly options: SdclrOptions,
  ) {
    this.projector = createProjector({
      name: 'sdclr/projector',
      rng: projectorRng,
      inputDim: backbone.featureDim,
      hiddenDim: options.hiddenDim || backbone.featureDim,
      outputDim: options.projectionDim,
    });
    try {
      this.pruned = createPrunedBranch({ backbone, projector: this.projector, name: 'sdclr/pruned' });
    } catch (error) {
      this.projector.dispose();
      throw error;
    }
  }

  /** Dense backbone and projector, then the pruned branch's BatchNorm scales and offsets. */
  trainableVariables(): tf.Variable[] {
    return [...this.backbone.trainableVariables(), ...this.projector.trainableVariables(), ...this.pruned.trainableVariables()];
  }

  /** Dense BatchNorm statistics, then the pruned branch's BatchNorm statistics and conv masks. */
  stateVariables(): tf.Variable[] {
    return [...this.backbone.stateVariables(), ...this.projector.stateVariables(), ...this.pruned.stateVariables()];
  }

  /**
   * Row 0: NT-Xent with the dense embedding of view 1 as anchor; row 1: with the pruned
   * embedding of view 2 as anchor (the authors' `nt_xent(features_1, features2=features_2)`).
   * One tape through both branches gives the gradient of the authors' two backward passes, each
   * with the other branch detached, summed.
   */
  loss(batch: TrainingBatch, context: ForwardContext): tf.Tensor2D {
    return tf.tidy(() => {
      const dense = this.projector.apply(this.backbone.apply(batch.views[0], context), context) as tf.Tensor2D;
      const pruned = this.pruned.apply(batch.views[1], context) as tf.Tensor2D;
      return ntXentPerView(dense, pruned, this.options.temperature);
    });
  }

  /** Recomputes the masks from the current weights (the plugin calls it at each epoch start). */
  prune(): Promise<PruningResult> {
    return pruneByMagnitude(this.pruned.convs, this.options.pruneRatio);
  }

  /** Dense backbone features in eval mode. */
  encode(images: tf.Tensor4D): tf.Tensor2D {
    return this.backbone.apply(images, { training: false }) as tf.Tensor2D;
  }

  /** The pruned branch for tests and analysis: its masks and layers. Borrowed. */
  get prunedBranch(): PrunedBranch {
    return this.pruned;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pruned.dispose();
    this.projector.dispose();
    this.backbone.dispose();
  }
}
