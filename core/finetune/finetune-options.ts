/** The downstream long-tailed classification protocols of `bcl finetune` (BCL's Table 3). */
export type FinetuneMethod = 'ce' | 'crt' | 'la';

/**
 * Options of one fine-tuning protocol. Defaults (docs/evaluation.md):
 * - CE and LA train the whole network (backbone from the SSL run + a new linear classifier) with
 *   LDAM-DRW's CIFAR-LT schedule (Cao et al. 2019): 200 epochs, batch 128, SGD lr 0.1, momentum
 *   0.9, weight decay 2e-4, 5 warm-up epochs, lr x0.01 at 80 % and x0.0001 at 90 % of the epochs
 *   (their 160 / 180 of 200); random 4-pixel-padded crops and horizontal flips.
 * - LA (Menon et al. 2021) adds tau * log(class prior) to the logits in the loss only; tau 1.
 * - cRT (Kang et al. 2020) freezes the CE backbone, re-initialises the classifier and trains it
 *   for 10 epochs with class-balanced sampling (class uniform, then an image of it), SGD lr 0.1
 *   cosine to 0, batch 128, weight decay 5e-4.
 */
export interface FinetuneOptions {
  /** Epochs of the CE / LA stage (also the CE stage cRT starts from). Default 200. */
  readonly epochs?: number;
  /** Default 128. */
  readonly batchSize?: number;
  /** Peak learning rate of the CE / LA stage. Default 0.1. */
  readonly lr?: number;
  /** Default 2e-4. */
  readonly weightDecay?: number;
  /** Linear warm-up epochs. Default 5 (capped at the epoch count). */
  readonly warmupEpochs?: number;
  /** LA's tau. Default 1. */
  readonly tau?: number;
  /** Epochs of cRT's classifier re-training. Default 10. */
  readonly crtEpochs?: number;
  /** cRT's learning rate. Default 0.1. */
  readonly crtLr?: number;
  /** Padding of the random crop in pixels (0 disables crop). Default 4. */
  readonly cropPadding?: number;
  /** Probability of a horizontal flip. Default 0.5. */
  readonly flip?: number;
  /** Seeds the classifier initialisation, the sample order and the augmentation. Default 0. */
  readonly seed?: number;
}

/** {@link FinetuneOptions} with every default filled in. */
export type ResolvedFinetuneOptions = Required<FinetuneOptions>;

/** Fills in the documented defaults and checks the values. */
export function resolveFinetuneOptions(options: FinetuneOptions = {}): ResolvedFinetuneOptions {
  const resolved: ResolvedFinetuneOptions = {
    epochs: options.epochs ?? 200,
    batchSize: options.batchSize ?? 128,
    lr: options.lr ?? 0.1,
    weightDecay: options.weightDecay ?? 2e-4,
    warmupEpochs: Math.min(options.warmupEpochs ?? 5, options.epochs ?? 200),
    tau: options.tau ?? 1,
    crtEpochs: options.crtEpochs ?? 10,
    crtLr: options.crtLr ?? 0.1,
    cropPadding: options.cropPadding ?? 4,
    flip: options.flip ?? 0.5,
    seed: options.seed ?? 0,
  };
  for (const key of ['epochs', 'batchSize', 'crtEpochs'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) throw new RangeError(`finetune ${key} must be a positive integer, but got ${resolved[key]}`);
  }
  for (const key of ['lr', 'crtLr'] as const) if (!(resolved[key] > 0)) throw new RangeError(`finetune ${key} must be > 0, but got ${resolved[key]}`);
  if (!(resolved.tau >= 0)) throw new RangeError(`finetune tau must be >= 0, but got ${resolved.tau}`);
  return resolved;
}

/**
 * LDAM-DRW's step schedule with linear warm-up: lr * (epoch + 1) / warmup during warm-up, then lr,
 * x0.01 from 80 % of the epochs and x0.0001 from 90 %.
 */
export function finetuneLr(epoch: number, options: Pick<ResolvedFinetuneOptions, 'epochs' | 'lr' | 'warmupEpochs'>): number {
  const { epochs, lr, warmupEpochs } = options;
  if (epoch < warmupEpochs) return (lr * (epoch + 1)) / warmupEpochs;
  if (epoch >= Math.floor(0.9 * epochs)) return lr * 1e-4;
  if (epoch >= Math.floor(0.8 * epochs)) return lr * 1e-2;
  return lr;
}
