import type * as tf from '@tensorflow/tfjs';
import { BclError } from '../errors';
import { createResNet, type ResNet } from '../models/resnet';
import type { SslMethod } from '../plugin/ssl-method';
import { Rng } from '../random/rng';
import type { ResolvedRecipe } from '../recipes/recipe-schema';

/**
 * A fresh ResNet named `name` holding a copy of the SSL method's backbone weights and BatchNorm
 * statistics, for supervised fine-tuning. The backbone is found by its first convolution: the
 * first trainable variable named `<prefix>/conv1/kernel` (e.g. `simclr/backbone`; for methods
 * with two encoders the online one, which comes first). Every variable of the new ResNet must
 * have a twin `<prefix>/<path>` of the same shape, or this throws naming the missing one. The
 * caller owns the result (and may dispose the method afterwards).
 */
export function backboneFromMethod(method: SslMethod, recipe: ResolvedRecipe, inputChannels: 1 | 3, name: string): ResNet {
  const source = new Map<string, tf.Variable>([...method.trainableVariables(), ...method.stateVariables()].map((v) => [v.name, v]));
  const first = method.trainableVariables().find((v) => v.name.endsWith('/conv1/kernel'));
  if (!first) {
    throw new BclError('USAGE', `the run's method (${recipe.method.name}) has no ResNet backbone variable named <prefix>/conv1/kernel.`, { hint: 'bcl finetune needs a run whose method trains a ResNet backbone.' });
  }
  const prefix = first.name.slice(0, -'/conv1/kernel'.length);
  const backbone = createResNet({ name, rng: new Rng(0), depth: recipe.backbone.depth, stem: recipe.backbone.stem, baseWidth: recipe.backbone.width, inputChannels });
  try {
    for (const variable of [...backbone.trainableVariables(), ...backbone.stateVariables()]) {
      const twin = source.get(`${prefix}${variable.name.slice(name.length)}`);
      if (!twin || twin.shape.join() !== variable.shape.join()) {
        throw new BclError('CHECKPOINT_INVALID', `the run's backbone ${prefix} has no variable ${prefix}${variable.name.slice(name.length)} of shape [${variable.shape.join(', ')}].`, {
          hint: "The run's recipe.json and checkpoint do not describe the same ResNet; evaluate the run as it was trained.",
        });
      }
      variable.assign(twin);
    }
  } catch (error) {
    backbone.dispose();
    throw error;
  }
  return backbone;
}
