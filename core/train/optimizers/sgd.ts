import * as tf from '@tensorflow/tfjs';
import { MomentumBuffers } from './momentum-buffers';
import type { Optimizer } from './optimizer';

/** SGD options (the BCL authors: lr 0.5, momentum 0.9, weight decay 5e-4). */
export interface SgdOptions {
  readonly momentum: number;
  /** L2 penalty added to the gradient (PyTorch's coupled weight decay). */
  readonly weightDecay: number;
  readonly nesterov: boolean;
}

/**
 * SGD with momentum and weight decay, update for update identical to `torch.optim.SGD`:
 * d = g + wd*w; buf = m*buf + d; w -= lr * (nesterov ? d + m*buf : buf).
 */
export class Sgd implements Optimizer {
  private readonly buffers: MomentumBuffers;

  constructor(
    private readonly variables: readonly tf.Variable[],
    private readonly options: SgdOptions,
  ) {
    this.buffers = new MomentumBuffers('sgd', variables);
  }

  apply(grads: tf.NamedTensorMap, lr: number): void {
    const { momentum, weightDecay, nesterov } = this.options;
    for (const variable of this.variables) {
      const grad = grads[variable.name];
      if (!grad) continue; // a variable the loss does not reach this step (e.g. a frozen branch)
      const buffer = this.buffers.get(variable.name);
      tf.tidy(() => {
        const d = weightDecay > 0 ? grad.add(variable.mul(weightDecay)) : grad;
        const nextBuffer = buffer.mul(momentum).add(d);
        const step = nesterov ? d.add(nextBuffer.mul(momentum)) : nextBuffer;
        buffer.assign(nextBuffer);
        variable.assign(variable.sub(step.mul(lr)));
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
