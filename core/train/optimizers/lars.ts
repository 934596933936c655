import * as tf from '@tensorflow/tfjs';
import { MomentumBuffers } from './momentum-buffers';
import type { Optimizer } from './optimizer';

/** LARS options (SimCLR's large-batch optimizer). */
export interface LarsOptions {
  readonly momentum: number;
  readonly weightDecay: number;
  /** Trust coefficient: the layer-wise rate is lr * eta * ||w|| / ||g + wd*w||. */
  readonly eta: number;
  /**
   * Leave 1-D variables (BatchNorm scales and offsets, biases) out of weight decay and
   * adaptation, as SimCLR does.
   */
  readonly excludeBiasAndNorm: boolean;
}

/**
 * Layer-wise adaptive rate scaling (You et al. 2017) with momentum:
 * d = g + wd*w; local = eta*||w||/||d|| (1 when either norm is 0); buf = m*buf + lr*local*d; w -= buf.
 */
export class Lars implements Optimizer {
  private readonly buffers: MomentumBuffers;

  constructor(
    private readonly variables: readonly tf.Variable[],
    private readonly options: LarsOptions,
  ) {
    this.buffers = new MomentumBuffers('lars', variables);
  }

  apply(grads: tf.NamedTensorMap, lr: number): void {
    const { momentum, weightDecay, eta, excludeBiasAndNorm } = this.options;
    for (const variable of this.variables) {
      const grad = grads[variable.name];
      if (!grad) continue;
      const buffer = this.buffers.get(variable.name);
      const adapt = !(excludeBiasAndNorm && variable.rank <= 1);
      tf.tidy(() => {
        let update: tf.Tensor = grad;
        let scale: tf.Tensor | number = lr;
        if (adapt) {
          update = weightDecay > 0 ? grad.add(variable.mul(weightDecay)) : grad;
          const weightNorm = variable.norm();
          const updateNorm = update.norm();
          const trust = tf.where(
            tf.logicalAnd(weightNorm.greater(0), updateNorm.greater(0)),
            weightNorm.mul(eta).div(updateNorm),
            tf.onesLike(weightNorm),
          );
          scale = trust.mul(lr);
        }
        const nextBuffer = buffer.mul(momentum).add(update.mul(scale));
        buffer.assign(nextBuffer);
        variable.assign(variable.sub(nextBuffer));
      });
    }
  }

  stateVariables(): tf.Variable[] {
    return this.buffers.all();
  }

  dispose(): void {
    this.buffers.dispose();
  }
}
