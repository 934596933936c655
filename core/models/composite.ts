import * as tf from '@tensorflow/tfjs';
import type { Module } from './module';

/** The variable and teardown parts of a module built from child modules. */
export type CompositeParts = Pick<Module, 'trainableVariables' | 'stateVariables' | 'dispose'>;

/**
 * Variable lists and `dispose` for a module made of `children`: variables in the children's
 * order (their creation order, which checkpoints rely on), disposal in reverse order, once.
 * The parent owns the children; `dispose` disposes them all.
 */
export function compositeParts(children: readonly Module[]): CompositeParts {
  let disposed = false;
  return {
    trainableVariables: (): tf.Variable[] => children.flatMap((child) => child.trainableVariables()),
    stateVariables: (): tf.Variable[] => children.flatMap((child) => child.stateVariables()),
    dispose: (): void => {
      if (disposed) return;
      disposed = true;
      for (let i = children.length - 1; i >= 0; i--) children[i].dispose();
    },
  };
}

/**
 * Chains modules: each receives the previous one's output. Owns (and disposes) `children`.
 * `apply` returns a tensor the caller owns; intermediates are tidied.
 */
export function createSequential(name: string, children: readonly Module[]): Module {
  return {
    name,
    ...compositeParts(children),
    // An empty chain still hands back a tensor of its own, so the caller may dispose it.
    apply: (input, context) =>
      tf.tidy(() => children.reduce((x, child) => child.apply(x, context), tf.clone(input))),
  };
}
