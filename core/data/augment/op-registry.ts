/**
 * The registry of augmentation ops by name, one per process (each data worker thread has its own,
 * filled from the built-ins and the `module`s of the ops its pipelines use). Like tfjs's kernel
 * registry: register once at start-up, look up by name when a pipeline is built.
 */
import { BclError } from '../../errors';
import type { AugmentationOp } from './augmentation-op';

const ops = new Map<string, AugmentationOp<unknown, unknown>>();

/**
 * Makes `op` available to pipelines under `op.name`. Registering the same object again is a no-op
 * (modules may be loaded twice); another op under a taken name throws, so a typo cannot silently
 * replace a built-in. Use `{ replace: true }` to override one on purpose.
 */
export function registerAugmentationOp<Params, Input>(op: AugmentationOp<Params, Input>, options: { readonly replace?: boolean } = {}): void {
  const existing = ops.get(op.name);
  if (existing === (op as AugmentationOp<unknown, unknown>)) return;
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(op.name)) {
    throw new BclError('PLUGIN_FAILED', `an augmentation op name must start with a letter and hold only letters, digits, "_" or "-", but got ${JSON.stringify(op.name)}.`);
  }
  if (existing && !options.replace) {
    throw new BclError('PLUGIN_FAILED', `an augmentation op named "${op.name}" is already registered.`, {
      hint: 'Pick another name, or pass { replace: true } to replace it deliberately.',
    });
  }
  ops.set(op.name, op as AugmentationOp<unknown, unknown>);
}

/** The op registered under `name`, or undefined. */
export function findAugmentationOp(name: string): AugmentationOp<unknown, unknown> | undefined {
  return ops.get(name);
}

/** The op registered under `name`; throws a BclError naming `path` and the known ops otherwise. */
export function requireAugmentationOp(name: string, path: string): AugmentationOp<unknown, unknown> {
  const op = ops.get(name);
  if (op) return op;
  throw new BclError('RECIPE_INVALID', `${path} names the augmentation op ${JSON.stringify(name)}, which is not registered.`, {
    hint: `Known ops: ${[...ops.keys()].join(', ')}. A third-party op must be registered (registerAugmentationOp) before the run.`,
  });
}

/** Every registered op, in registration order. */
export function registeredAugmentationOps(): AugmentationOp<unknown, unknown>[] {
  return [...ops.values()];
}
