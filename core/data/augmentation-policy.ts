import type { AugmentationPolicy, SampleAugmentation } from '../hooks/contexts';

/** The empty policy the `augmentationPolicy` waterfall starts from. */
export function emptyPolicy(indices: Int32Array): AugmentationPolicy {
  return { indices, samples: [] };
}

/**
 * A new policy with `add(i, index)` merged into sample i's augmentation: appended steps go after
 * the ones already there; parameter changes are merged per op, later values winning. The input is
 * not modified. This is how add-ons compose in hook order.
 */
export function extendPolicy(policy: AugmentationPolicy, add: (position: number, index: number) => SampleAugmentation | undefined): AugmentationPolicy {
  const { indices } = policy;
  const samples = new Array<SampleAugmentation | undefined>(indices.length);
  for (let i = 0; i < indices.length; i++) samples[i] = mergeSample(policy.samples[i], add(i, indices[i]));
  return { indices, samples };
}

function mergeSample(before: SampleAugmentation | undefined, extra: SampleAugmentation | undefined): SampleAugmentation | undefined {
  if (!extra) return before;
  if (!before) return extra;
  const append = before.append && extra.append ? [...before.append, ...extra.append] : (extra.append ?? before.append);
  let params = before.params ?? extra.params;
  if (before.params && extra.params) {
    const merged: Record<string, Readonly<Record<string, unknown>>> = { ...before.params };
    for (const [op, values] of Object.entries(extra.params)) merged[op] = { ...merged[op], ...values };
    params = merged;
  }
  return { append, params };
}
