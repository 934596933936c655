import { definePlugin, tf, z, type PerViewLoss } from 'bcl-ssl';

/** Recipe options of `{ "name": "loss-memory", ... }` in `plugins`. */
export const LossMemoryOptionsSchema = z.strictObject({
  /** Weight of the remembered loss: 0 changes nothing. Default 0.5. */
  strength: z.number().min(0).max(1).default(0.5),
  /** Memory of each sample's loss: ema = momentum * ema + (1 - momentum) * loss. Default 0.9. */
  momentum: z.number().min(0).lt(1).default(0.9),
});
export type LossMemoryOptions = z.output<typeof LossMemoryOptionsSchema>;

/**
 * An add-on with state: it remembers each sample's loss (a moving average, updated from the
 * host copy `onBatchLoss` gives) and up-weights samples that were hard so far, weight
 * `1 + strength * (ema / mean(ema) - 1)` (1 before a sample was seen). The memory is checkpointed
 * (`stateSnapshot` / `onStateRestore`), so a resumed run trains exactly like an uninterrupted one.
 */
export const lossMemoryPlugin = definePlugin<LossMemoryOptions>({
  name: 'loss-memory',
  kind: 'addon',
  description: 'template add-on: up-weights samples whose remembered loss is high',
  docs: 'https://example.org/bcl-plugin-template#loss-memory',
  options: LossMemoryOptionsSchema,
  create({ options }) {
    let ema = new Float32Array(0);
    let seen = new Uint8Array(0);
    const ensure = (size: number) => {
      if (ema.length !== size) {
        ema = new Float32Array(size);
        seen = new Uint8Array(size);
      }
    };
    return {
      hooks: {
        onTrainStart: ({ run }) => ensure(run.datasetSize),
        transformLoss: (loss: PerViewLoss, { indices }) => {
          let sum = 0;
          let count = 0;
          for (let i = 0; i < ema.length; i++) if (seen[i]) (sum += ema[i]), count++;
          const mean = count > 0 ? sum / count : 0;
          const weights = Float32Array.from(indices, (i) => (seen[i] && mean > 0 ? 1 + options.strength * (ema[i] / mean - 1) : 1));
          return tf.tidy(() => tf.mul(loss, tf.tensor2d(weights, [1, weights.length])) as PerViewLoss);
        },
        onBatchLoss: ({ indices, losses }) => {
          for (let k = 0; k < indices.length; k++) {
            const i = indices[k];
            ema[i] = seen[i] ? options.momentum * ema[i] + (1 - options.momentum) * losses[k] : losses[k];
            seen[i] = 1;
          }
        },
        stateSnapshot: () => ({ ema, seen }),
        onStateRestore: (state) => {
          ema = Float32Array.from(state.ema as Float32Array);
          seen = Uint8Array.from(state.seen as Uint8Array);
        },
      },
    };
  },
});
