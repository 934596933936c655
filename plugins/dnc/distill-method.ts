import { BclError, createMlp, l2Normalize, tf, type ForwardContext, type Module, type Rng, type SslMethod, type TrainingBatch, type DistillTargetsHeader } from '../../core/index';
import type { BackboneTap } from './backbone-tap';

/** Options of {@link DistillingMethod}. */
export interface DistillOptions {
  /** Weight of the distillation term. */
  readonly weight: number;
  /** Weight of the base method's own loss; 0 trains on the distillation term alone (DnC's student). */
  readonly sslWeight: number;
  /** Hidden width of each expert's head; 0: the backbone's feature width. */
  readonly hiddenDim: number;
}

/**
 * DnC's distillation stage: one MLP head per teacher (the base model and each expert) on the
 * student's backbone features; head t regresses teacher t's embedding of the sample (cosine
 * distance, `2 - 2 cos`), averaged over teachers. The base SSL method runs unchanged beside it,
 * its loss weighted by `sslWeight` (0: distillation alone). The term is added to every view's
 * loss, so the per-sample losses the trainer reports (and add-ons such as BCL read) include it.
 */
export class DistillingMethod implements SslMethod {
  readonly views: number;
  private readonly heads: Module[];
  private targets: Float32Array | undefined;
  private disposed = false;

  constructor(
    private readonly base: SslMethod,
    private readonly tap: BackboneTap,
    featureDim: number,
    private readonly header: DistillTargetsHeader,
    private readonly loadTargets: () => Float32Array,
    rng: Rng,
    private readonly options: DistillOptions,
  ) {
    this.views = base.views;
    const hidden = options.hiddenDim || featureDim;
    this.heads = Array.from({ length: header.teachers }, (_, k) => createMlp({ name: `dnc/head${k}`, rng, sizes: [featureDim, hidden, header.dim] }));
  }

  trainableVariables(): tf.Variable[] {
    // The base's first, so tools that look for the backbone's first convolution find the student's.
    return [...this.base.trainableVariables(), ...this.heads.flatMap((h) => h.trainableVariables())];
  }

  stateVariables(): tf.Variable[] {
    return [...this.base.stateVariables(), ...this.heads.flatMap((h) => h.stateVariables())];
  }

  loss(batch: TrainingBatch, context: ForwardContext): tf.Tensor2D {
    this.tap.start();
    let perView: tf.Tensor2D;
    try {
      perView = this.base.loss(batch, context);
    } catch (error) {
      tf.dispose(this.tap.stop());
      throw error;
    }
    // The recorded features live outside every tidy (the tap keeps them); freed here either way.
    const features = this.tap.stop();
    try {
      return tf.tidy(() => {
        const distill = this.distillation(features, batch.indices, context);
        return perView.mul(this.options.sslWeight).add(distill.mul(this.options.weight).expandDims(0)) as tf.Tensor2D;
      });
    } finally {
      tf.dispose([perView, ...features]);
    }
  }

  /**
   * Per-sample distillation term [B] from the backbone's recorded outputs: their rows are the
   * batch's samples repeated (view after view), each regressed onto every teacher's target.
   */
  distillation(features: readonly tf.Tensor2D[], indices: Int32Array, context: ForwardContext): tf.Tensor1D {
    const size = indices.length;
    const rows = features.reduce((sum, f) => sum + f.shape[0], 0);
    if (features.length === 0 || rows % size !== 0) {
      throw new BclError('PLUGIN_FAILED', `the base method ran its backbone in training mode on ${rows} rows, not a multiple of the batch's ${size} samples, so its features cannot be matched to the samples' targets.`, {
        plugin: 'dnc-distill',
        hook: 'loss',
        hint: 'dnc-distill needs a base method whose loss passes views of the batch through its (first) backbone.',
      });
    }
    const targets = this.hostTargets(indices, rows);
    return tf.tidy(() => {
      const input = features.length === 1 ? features[0] : tf.concat(features as tf.Tensor2D[], 0);
      const { teachers, dim } = this.header;
      let total: tf.Tensor1D = tf.zeros([rows]);
      for (let k = 0; k < teachers; k++) {
        const predicted = l2Normalize(this.heads[k].apply(input, context) as tf.Tensor2D);
        const target = tf.tensor2d(targets.subarray(k * rows * dim, (k + 1) * rows * dim), [rows, dim]);
        total = total.add(tf.scalar(2).sub(predicted.mul(target).sum(1).mul(2)));
      }
      return total.div(teachers).reshape([rows / size, size]).mean(0) as tf.Tensor1D;
    });
  }

  encode(images: tf.Tensor4D): tf.Tensor2D {
    return this.base.encode(images);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const head of this.heads) head.dispose();
  }

  /** The targets of `rows` rows (the batch's samples repeated), as `[teachers, rows, dim]`. */
  private hostTargets(indices: Int32Array, rows: number): Float32Array {
    this.targets ??= this.loadTargets();
    const { teachers, size, dim } = this.header;
    const out = new Float32Array(teachers * rows * dim);
    for (let k = 0; k < teachers; k++) {
      for (let r = 0; r < rows; r++) {
        const sample = indices[r % indices.length];
        const from = (k * size + sample) * dim;
        out.set(this.targets.subarray(from, from + dim), (k * rows + r) * dim);
      }
    }
    return out;
  }
}
