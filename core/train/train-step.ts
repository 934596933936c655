import * as tf from '@tensorflow/tfjs';
import { BclError } from '../errors';
import type { HookDriver } from '../hooks/hook-driver';
import type { LossContext } from '../hooks/contexts';
import { applyStateUpdates, type StateUpdate } from '../models/module';
import type { SslMethod } from '../plugin/ssl-method';
import type { Optimizer } from './optimizers/optimizer';

/** What one optimizer step reports to the host. */
export interface StepResult {
  /** Per-sample loss (method loss averaged over views, before transformLoss). Owned by the caller. */
  readonly losses: Float32Array;
  /** The reduced loss the optimizer minimised. */
  readonly loss: number;
}

/**
 * One optimizer step: per-view losses from the method, `transformLoss`, mean reduction, gradients,
 * one asynchronous host read of the per-sample losses (checked for NaN/Inf *before* any weight changes), the
 * optimizer update, then BatchNorm running-stat updates. Leaves no tensor behind.
 */
export async function trainStep(
  method: SslMethod,
  views: readonly tf.Tensor4D[],
  hooks: HookDriver,
  optimizer: Optimizer,
  context: LossContext,
): Promise<StepResult> {
  const stateUpdates: StateUpdate[] = [];
  let perSample: tf.Tensor1D | undefined;
  let grads: tf.NamedTensorMap = {};
  let value: tf.Scalar | undefined;
  try {
    ({ value, grads } = tf.variableGrads(() => {
      const perView = method.loss({ views, indices: context.indices }, { training: true, stateUpdates });
      assertLossShape(perView, views.length, context.indices.length);
      perSample = tf.keep(tf.mean(perView, 0) as tf.Tensor1D);
      const transformed = hooks.waterfall('transformLoss', perView, context);
      assertLossShape(transformed, views.length, context.indices.length, 'transformLoss');
      return tf.mean(transformed) as tf.Scalar;
    }, method.trainableVariables()));
    // One host read per step: the per-sample losses with the reduced loss appended. Asynchronous,
    // because GPU backends cannot read synchronously (webgpu in Node has no dataSync).
    const packed = tf.tidy(() => tf.concat([perSample!, value!.reshape([1])]));
    let host: Float32Array;
    try {
      host = (await packed.data()) as Float32Array;
    } finally {
      packed.dispose();
    }
    const losses = host.slice(0, host.length - 1);
    const loss = host[host.length - 1];
    if (!Number.isFinite(loss) || !allFinite(losses)) {
      throw new BclError('NON_FINITE_LOSS', nonFiniteMessage(context, loss, losses));
    }
    optimizer.apply(grads, context.lr);
    applyStateUpdates(stateUpdates);
    return { losses, loss };
  } finally {
    for (const update of stateUpdates) update.value.dispose();
    perSample?.dispose();
    value?.dispose();
    tf.dispose(grads);
  }
}

function allFinite(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

function nonFiniteMessage(context: LossContext, loss: number, losses: Float32Array): string {
  const bad = losses.findIndex((v) => !Number.isFinite(v));
  const sample = bad >= 0 ? ` (first at dataset index ${context.indices[bad]}: ${losses[bad]})` : '';
  return `non-finite loss at step ${context.step} (epoch ${context.epoch}, batch ${context.batch}): loss=${loss}, lr=${context.lr}${sample}`;
}

function assertLossShape(loss: tf.Tensor, views: number, batch: number, hook?: string): void {
  if (loss.rank !== 2 || loss.shape[0] !== views || loss.shape[1] !== batch) {
    throw new BclError('PLUGIN_FAILED', `expected a per-view, per-sample loss of shape [${views}, ${batch}], but got [${loss.shape.join(', ')}].`, {
      hook,
      hint: 'Return one loss per view and sample; do not reduce over the batch.',
    });
  }
}
