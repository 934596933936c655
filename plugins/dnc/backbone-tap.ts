import { tf, type Backbone } from '../../core/index';

/**
 * Records what one backbone computes in training mode while a method's loss runs, so a wrapper
 * can add a term on the same features (and the same gradient tape) without a second forward pass
 * and without knowing the method: SimCLR's one pass over both views gives 2B rows, SDCLR's dense
 * branch B rows.
 */
export class BackboneTap {
  private recorded: tf.Tensor2D[] = [];
  private recording = false;

  /** `backbone` with its `apply` recorded; every other member is the backbone's own. */
  wrap(backbone: Backbone): Backbone {
    const tap = this;
    const apply = (input: tf.Tensor, context: Parameters<Backbone['apply']>[1]): tf.Tensor => {
      const output = backbone.apply(input, context);
      // Kept out of the method's tidy; `stop` hands it over and the wrapper disposes it.
      if (tap.recording && context.training) tap.recorded.push(tf.keep(output as tf.Tensor2D));
      return output;
    };
    return new Proxy(backbone, {
      get(target, property) {
        if (property === 'apply') return apply;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** Starts recording (drops anything left from an earlier call). */
  start(): void {
    tf.dispose(this.recorded);
    this.recorded = [];
    this.recording = true;
  }

  /** Stops recording and returns the outputs in call order; the caller owns them. */
  stop(): tf.Tensor2D[] {
    this.recording = false;
    const outputs = this.recorded;
    this.recorded = [];
    return outputs;
  }
}
