import type { PeerRow } from './peer-bench';

/** One thing a peer benchmark times: `run` does one step and resolves to its milliseconds. */
export interface TimedVariant {
  readonly name: string;
  readonly run: () => Promise<number>;
}

/**
 * Times every variant once per round, `warmup` rounds unrecorded then `steps` recorded, and
 * returns each variant's median and minimum. Rounds interleave the variants so that the shared
 * machine's load drifts over all of them alike, which makes their ratios trustworthy.
 */
export async function timeInterleavedRounds(
  variants: readonly TimedVariant[],
  options: { readonly warmup: number; readonly steps: number; readonly decimals: number },
  log: (line: string) => void,
): Promise<PeerRow[]> {
  const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const rounds = options.warmup + options.steps;
  for (let round = 0; round < rounds; round++) {
    const roundMs: string[] = [];
    for (const variant of variants) {
      const ms = await variant.run();
      if (round >= options.warmup) times.get(variant.name)!.push(ms);
      roundMs.push(`${variant.name} ${ms.toFixed(options.decimals)}`);
    }
    log(`round ${round + 1}/${rounds}${round < options.warmup ? ' (warm-up)' : ''}: ${roundMs.join(', ')}`);
  }
  return variants.map(({ name }) => {
    const stepsMs = times.get(name)!;
    const sorted = [...stepsMs].sort((a, b) => a - b);
    return { variant: name, medianMs: sorted[sorted.length >> 1], minMs: sorted[0], stepsMs };
  });
}
