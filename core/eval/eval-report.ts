import * as fs from 'node:fs';
import * as path from 'node:path';
import { BclError } from '../errors';
import type { AccuracySpread, ProbeAccuracy } from './long-tail-metrics';
import type { Shots } from './probe-sets';

/** Tag of the `eval.json` layout; bumped when a field changes meaning. */
export const EVAL_FORMAT = 'bcl-ssl/eval/v1';

/** The kNN probe's result. */
export interface KnnEntry {
  readonly k: number;
  readonly temperature: number;
  /** Name and size of the labelled bank (the run's long-tailed training set). */
  readonly bank: { readonly name: string; readonly size: number };
  readonly accuracy: ProbeAccuracy;
}

/** One linear-probe protocol (full-shot, or k-shot over several seeds). */
export interface LinearEntry {
  readonly shots: Shots;
  /** Dataset the balanced probe training set was drawn from. */
  readonly source: string;
  /** Probe training samples per seed. */
  readonly trainSize: number;
  readonly epochs: number;
  /** Seeds of the subset choice and probe initialisation, one run each. */
  readonly seeds: number[];
  readonly runs: ProbeAccuracy[];
  /** Mean over seeds and seed-to-seed sample std. */
  readonly summary: AccuracySpread;
}

/** One downstream classification protocol of `bcl finetune` (CE, cRT or LA) on the balanced test set. */
export interface FinetuneEntry {
  /** `ce`: cross-entropy fine-tuning of the whole network; `crt`: classifier re-training with class-balanced sampling on the frozen CE backbone; `la`: logit-adjusted loss. */
  readonly method: 'ce' | 'crt' | 'la';
  /** Every option the protocol ran with (defaults filled in). */
  readonly options: Readonly<Record<string, number>>;
  /** The long-tailed training set (the run's) and its size. */
  readonly source: string;
  readonly trainSize: number;
  /** Mean training loss of the last epoch of its last stage. */
  readonly finalLoss: number;
  readonly seconds: number;
  readonly accuracy: ProbeAccuracy;
}

/** One transfer linear probe (BCL's Table 4): the frozen backbone probed on another dataset's image lists. */
export interface TransferEntry {
  /** Target name (default: the train list's base name). */
  readonly name: string;
  readonly trainList: string;
  readonly testList: string;
  readonly trainSize: number;
  readonly testSize: number;
  readonly numClasses: number;
  readonly epochs: number;
  readonly seed: number;
  readonly seconds: number;
  /** top-1 / top-5 / per-class; Many / Medium / Few are null (the target has no long-tail groups). */
  readonly accuracy: ProbeAccuracy;
}

/** What `bcl eval` writes to `<run>/eval.json`. Accuracies are percentages (0-100). */
export interface EvalReport {
  readonly format: typeof EVAL_FORMAT;
  readonly createdAt: string;
  readonly run: {
    readonly dir: string;
    readonly method: string;
    readonly plugins: string[];
    readonly checkpoint: string;
    /** Epochs trained when the checkpoint was written. */
    readonly epochs: number;
    readonly step: number;
  };
  readonly backend: string;
  readonly data: {
    readonly train: { readonly name: string; readonly size: number; readonly classCounts: number[] };
    readonly test: { readonly name: string; readonly size: number; readonly classCounts: number[] };
    /** Class names when known (Fashion-MNIST), else class ids as strings. */
    readonly classNames: string[];
  };
  readonly groups: {
    /** `thirds` (CIFAR-LT style), `authors-thirds` (the authors' code: remainder to Many) or `thresholds` (ImageNet-LT style: > 100 Many, < 20 Few). */
    readonly rule: 'thirds' | 'authors-thirds' | 'thresholds';
    readonly many: number[];
    readonly medium: number[];
    readonly few: number[];
  };
  readonly knn: KnnEntry | null;
  readonly linear: LinearEntry[];
  /** Protocols that were asked for but could not run, with why. */
  readonly skipped: { readonly probe: 'linear' | 'knn'; readonly shots?: Shots; readonly reason: string }[];
  readonly seconds: number;
  /** `bcl finetune` results, one per protocol (kept when `bcl eval` rewrites the file). */
  readonly finetune?: FinetuneEntry[];
  /** `bcl transfer` results, one per target (kept when `bcl eval` rewrites the file). */
  readonly transfer?: TransferEntry[];
}

/** The file `bcl eval` writes into a run folder. */
export function evalReportFile(runDir: string): string {
  return path.join(runDir, 'eval.json');
}

/** Writes `eval.json` atomically (temporary file, fsync, rename), so a reader never sees half a file. */
export function writeEvalReport(runDir: string, report: EvalReport): string {
  const file = evalReportFile(runDir);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    const fd = fs.openSync(temporary, 'w');
    try {
      fs.writeSync(fd, JSON.stringify(report, null, 2) + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new BclError('IO_FAILED', `could not write ${file} (${(error as Error).message}).`, { cause: error, hint: 'Check free space and permissions of the run folder.' });
  }
  return file;
}

/** Reads a run's `eval.json`; undefined when the run has not been evaluated. */
export function readEvalReport(runDir: string): EvalReport | undefined {
  const file = evalReportFile(runDir);
  if (!fs.existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BclError('USAGE', `${file} is not valid JSON (${(error as Error).message}).`, { cause: error, hint: `Run bcl eval ${runDir} again.` });
  }
  const format = (parsed as { format?: unknown }).format;
  if (format !== EVAL_FORMAT) {
    throw new BclError('USAGE', `${file} has format ${JSON.stringify(format)}, but this version reads ${EVAL_FORMAT}.`, { hint: `Run bcl eval ${runDir} again.` });
  }
  return parsed as EvalReport;
}
