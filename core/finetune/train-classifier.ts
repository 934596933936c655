import * as tf from '@tensorflow/tfjs';
import type { IndexedDataset } from '../data/dataset';
import { BclError } from '../errors';
import { applyStateUpdates, type Module, type StateUpdate } from '../models/module';
import type { ResNet } from '../models/resnet';
import type { Rng } from '../random/rng';
import { Sgd } from '../train/optimizers/sgd';
import { classBalancedOrder, supervisedBatch } from './supervised-batch';

/** What one training stage needs. */
export interface StageInputs {
  readonly dataset: IndexedDataset;
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly rng: Rng;
  readonly log?: (line: string) => void;
}

/** One epoch's mean loss. */
export type EpochLoss = { readonly epoch: number; readonly loss: number; readonly lr: number };

/**
 * Trains backbone and classifier together with softmax cross-entropy on `logits + adjustment`
 * (adjustment = tau * log prior for logit adjustment, omitted for plain CE), SGD with momentum 0.9
 * and coupled weight decay, one shuffled pass per epoch, BatchNorm in training mode. One host read
 * per step (the loss, checked for NaN before the update). No tensor survives the call.
 */
export async function trainNetwork(
  backbone: ResNet,
  classifier: Module,
  inputs: StageInputs,
  options: { epochs: number; batchSize: number; weightDecay: number; cropPadding: number; flip: number; lrAt: (epoch: number) => number; adjustment?: Float32Array },
): Promise<EpochLoss[]> {
  const { dataset, rng } = inputs;
  const { height, width, channels } = dataset.imageShape;
  const variables = [...backbone.trainableVariables(), ...classifier.trainableVariables()];
  const optimizer = new Sgd(variables, { momentum: 0.9, weightDecay: options.weightDecay, nesterov: false });
  const adjustment = options.adjustment ? tf.tensor1d(options.adjustment) : undefined;
  const numClasses = dataset.numClasses;
  const history: EpochLoss[] = [];
  const order = Int32Array.from({ length: dataset.size }, (_, i) => i);
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const lr = options.lrAt(epoch);
      rng.shuffle(order);
      let sum = 0;
      let steps = 0;
      for (let start = 0; start < order.length; start += options.batchSize) {
        const rows = order.subarray(start, Math.min(order.length, start + options.batchSize));
        // A batch of one has no batch statistics for BatchNorm; PyTorch refuses it too.
        if (rows.length < 2) continue;
        const batch = supervisedBatch(dataset, rows, rng, { mean: inputs.mean, std: inputs.std, cropPadding: options.cropPadding, flip: options.flip });
        const stateUpdates: StateUpdate[] = [];
        const x = tf.tensor4d(batch.pixels, [rows.length, height, width, channels]);
        const y = tf.tidy(() => tf.oneHot(tf.tensor1d(batch.labels, 'int32'), numClasses).toFloat());
        let result: { value: tf.Scalar; grads: tf.NamedTensorMap } | undefined;
        try {
          result = tf.variableGrads(() => {
            const features = backbone.apply(x, { training: true, stateUpdates });
            const logits = classifier.apply(features, { training: true }) as tf.Tensor2D;
            return tf.losses.softmaxCrossEntropy(y, adjustment ? tf.add(logits, adjustment) : logits) as tf.Scalar;
          }, variables);
          const loss = (await result.value.data())[0];
          if (!Number.isFinite(loss)) throw new BclError('NON_FINITE_LOSS', `fine-tuning loss is ${loss} at epoch ${epoch + 1}, batch ${steps + 1} (lr ${lr}).`, { hint: 'Lower --lr.' });
          optimizer.apply(result.grads, lr);
          applyStateUpdates(stateUpdates);
          sum += loss;
          steps++;
        } finally {
          for (const update of stateUpdates) update.value.dispose();
          tf.dispose([x, y]);
          if (result) tf.dispose([result.value, result.grads]);
        }
      }
      history.push({ epoch: epoch + 1, loss: sum / Math.max(1, steps), lr });
      inputs.log?.(`epoch ${epoch + 1}/${options.epochs}: loss ${(sum / Math.max(1, steps)).toFixed(4)} lr ${lr.toExponential(2)}`);
    }
    return history;
  } finally {
    optimizer.dispose();
    adjustment?.dispose();
  }
}

/**
 * cRT's stage: re-trains `classifier` on frozen features `[n, D]` with class-balanced sampling
 * (n draws per epoch), softmax cross-entropy, SGD momentum 0.9 with a cosine learning rate from
 * `lr` to 0. No tensor survives the call.
 */
export async function trainClassifierBalanced(
  classifier: Module,
  features: { size: number; dim: number; features: Float32Array; labels: Int32Array },
  numClasses: number,
  rng: Rng,
  options: { epochs: number; batchSize: number; lr: number; weightDecay: number; log?: (line: string) => void },
): Promise<EpochLoss[]> {
  const variables = classifier.trainableVariables();
  const optimizer = new Sgd(variables, { momentum: 0.9, weightDecay: options.weightDecay, nesterov: false });
  const x = tf.tensor2d(features.features, [features.size, features.dim]);
  const history: EpochLoss[] = [];
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const lr = 0.5 * options.lr * (1 + Math.cos((Math.PI * epoch) / options.epochs));
      const order = classBalancedOrder(features.labels, numClasses, features.size, rng);
      let sum = 0;
      let steps = 0;
      for (let start = 0; start < order.length; start += options.batchSize) {
        const rows = order.subarray(start, Math.min(order.length, start + options.batchSize));
        const { value, grads } = tf.variableGrads(() =>
          tf.tidy(() => {
            const index = tf.tensor1d(rows, 'int32');
            const labels = tf.oneHot(tf.gather(tf.tensor1d(features.labels, 'int32'), index), numClasses).toFloat();
            return tf.losses.softmaxCrossEntropy(labels, classifier.apply(tf.gather(x, index), { training: true })) as tf.Scalar;
          }),
          variables,
        );
        try {
          const loss = (await value.data())[0];
          if (!Number.isFinite(loss)) throw new BclError('NON_FINITE_LOSS', `cRT loss is ${loss} at epoch ${epoch + 1} (lr ${lr}).`, { hint: 'Lower --crt-lr.' });
          optimizer.apply(grads, lr);
          sum += loss;
          steps++;
        } finally {
          tf.dispose([value, grads]);
        }
      }
      history.push({ epoch: epoch + 1, loss: sum / Math.max(1, steps), lr });
      options.log?.(`cRT epoch ${epoch + 1}/${options.epochs}: loss ${(sum / Math.max(1, steps)).toFixed(4)} lr ${lr.toExponential(2)}`);
    }
    return history;
  } finally {
    optimizer.dispose();
    x.dispose();
  }
}
