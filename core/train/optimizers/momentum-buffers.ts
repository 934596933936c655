import * as tf from '@tensorflow/tfjs';

/** One zero-initialised, non-trainable momentum buffer per variable, disposed together. */
export class MomentumBuffers {
  private readonly buffers = new Map<string, tf.Variable>();

  constructor(kind: string, variables: readonly tf.Variable[]) {
    for (const v of variables) {
      this.buffers.set(v.name, tf.tidy(() => tf.variable(tf.zerosLike(v), false, `optimizer/${kind}/${v.name}`)));
    }
  }

  get(name: string): tf.Variable {
    const buffer = this.buffers.get(name);
    if (!buffer) throw new Error(`optimizer has no buffer for variable "${name}"`);
    return buffer;
  }

  all(): tf.Variable[] {
    return [...this.buffers.values()];
  }

  dispose(): void {
    for (const buffer of this.buffers.values()) buffer.dispose();
    this.buffers.clear();
  }
}
