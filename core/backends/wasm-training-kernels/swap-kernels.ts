import * as tf from '@tensorflow/tfjs';

/** What each replacement (by its kernel function) displaced when it was last swapped in. */
const displaced = new Map<tf.KernelFunc, tf.KernelConfig>();
/** Re-registered originals wrapped for a lazy setup, back to the original config. */
const originals = new WeakMap<tf.KernelFunc, tf.KernelConfig>();

/**
 * Registers `replacements` over whatever `backendName` has under the same names (`enabled`), or
 * puts back what each displaced (`!enabled`). Idempotent in both directions, and never makes tfjs
 * warn about a double registration (it unregisters first). Returns the kernel names that are
 * replaced after the call. Swaps nest like a stack: undo them in the reverse order of doing them
 * (`configureWasmKernels` in select-backend.ts does).
 *
 * A restored kernel gets its `setupFunc` run before its first call: tfjs runs setup functions only
 * when a backend initialises, and a kernel unregistered at that moment missed it (wasm's kernels
 * bind their C++ entry points there; running that twice is harmless).
 */
export function swapKernels(backendName: string, replacements: readonly tf.KernelConfig[], enabled: boolean): string[] {
  const active: string[] = [];
  for (const config of replacements) {
    const current = tf.getKernel(config.kernelName, backendName);
    const ours = current !== undefined && current.kernelFunc === config.kernelFunc;
    if (enabled && !ours) {
      if (current !== undefined) {
        displaced.set(config.kernelFunc, originals.get(current.kernelFunc) ?? current);
        tf.unregisterKernel(config.kernelName, backendName);
      }
      tf.registerKernel({ ...config, backendName });
    } else if (!enabled && ours) {
      tf.unregisterKernel(config.kernelName, backendName);
      const original = displaced.get(config.kernelFunc);
      if (original !== undefined) tf.registerKernel(withLazySetup(original));
    }
    if (enabled) active.push(config.kernelName);
  }
  return active;
}

/**
 * The kernel `replacement` displaced when it was last swapped in (set up on first use), for a
 * replacement that hands some cases back to it; undefined when it displaced nothing.
 */
export function displacedBy(replacement: tf.KernelFunc): tf.KernelConfig | undefined {
  const original = displaced.get(replacement);
  if (original === undefined) return undefined;
  let ready = setUpOnFirstUse.get(original);
  if (ready === undefined) setUpOnFirstUse.set(original, (ready = withLazySetup(original)));
  return ready;
}

/** `displacedBy`'s wrappers, one per original, so each runs its setup once. */
const setUpOnFirstUse = new WeakMap<tf.KernelConfig, tf.KernelConfig>();

/**
 * `config` with its `setupFunc` run before its first call. tfjs runs setup functions only when a
 * backend initialises, so a kernel that was not registered then (displaced, or called directly as
 * a fallback) must set itself up.
 */
export function withLazySetup(config: tf.KernelConfig): tf.KernelConfig {
  const { setupFunc, kernelFunc } = config;
  if (setupFunc === undefined) return config;
  let setUp = false;
  const wrapped: tf.KernelFunc = (args) => {
    if (!setUp) {
      setupFunc(args.backend);
      setUp = true;
    }
    return kernelFunc(args);
  };
  originals.set(wrapped, config);
  return { ...config, kernelFunc: wrapped };
}
