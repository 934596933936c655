import { Option, type Command } from 'commander';
import * as fs from 'node:fs';
import { BACKEND_PREFERENCE, type BackendName } from '../backends/select-backend';
import { BclError } from '../errors';
import { formatColumns, formatValue } from '../eval/format-table';
import type { GroupRuleName } from '../eval/probe-sets';
import type { FinetuneMethod } from '../finetune/finetune-options';
import { finetuneRun } from '../finetune/finetune-run';

interface FinetuneFlags {
  method: FinetuneMethod;
  epochs?: string;
  batchSize?: string;
  lr?: string;
  tau?: string;
  crtEpochs?: string;
  seed?: string;
  groups: GroupRuleName;
  backend?: BackendName;
}

/**
 * Adds `bcl finetune <run-dir> --method ce|crt|la`: supervised long-tailed classification from
 * the run's pretrained backbone, scored with Many / Medium / Few on the balanced test set and
 * merged into `<run-dir>/eval.json`. Defaults: docs/evaluation.md. Returns `program`.
 */
export function addFinetuneCommand(program: Command): Command {
  program
    .command('finetune')
    .description('long-tailed classification from a pretrained run: CE fine-tuning, cRT (class-balanced classifier re-training on the CE backbone) or logit adjustment; Many/Medium/Few into <run-dir>/eval.json')
    .argument('<run-dir>', 'run folder written by bcl train')
    .addOption(new Option('--method <protocol>', 'ce: cross-entropy on the whole network; crt: classifier re-training on the frozen CE backbone; la: logit-adjusted loss (tau 1)').choices(['ce', 'crt', 'la']).makeOptionMandatory())
    .option('--epochs <n>', 'epochs of the CE / LA stage (default 200, LDAM-DRW\'s CIFAR-LT schedule)')
    .option('--batch-size <n>', 'batch size (default 128)')
    .option('--lr <x>', 'peak learning rate of the CE / LA stage (default 0.1)')
    .option('--tau <x>', 'logit adjustment tau (default 1)')
    .option('--crt-epochs <n>', 'cRT classifier epochs (default 10)')
    .option('--seed <n>', 'seed of the classifier init, sample order and augmentation (default 0)')
    .addOption(new Option('--groups <rule>', 'Many/Medium/Few rule').choices(['auto', 'thirds', 'authors-thirds', 'thresholds']).default('auto'))
    .addOption(new Option('-b, --backend <name>', 'tensor backend (default: BCL_BACKEND or the best available)').choices([...BACKEND_PREFERENCE]))
    .action(async (dir: string, flags: FinetuneFlags) => {
      if (!fs.existsSync(dir)) throw new BclError('USAGE', `run folder ${dir} does not exist.`, { hint: 'Pass a folder written by bcl train, e.g. runs/<recipe>.' });
      const entries = await finetuneRun(dir, flags.method, {
        epochs: int(flags.epochs, '--epochs'),
        batchSize: int(flags.batchSize, '--batch-size'),
        lr: positive(flags.lr, '--lr'),
        tau: positive(flags.tau, '--tau', true),
        crtEpochs: int(flags.crtEpochs, '--crt-epochs'),
        seed: int(flags.seed, '--seed', true),
        groups: flags.groups,
        backend: flags.backend,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      const rows = entries.map((e) => [e.method, String(e.trainSize), formatValue(e.accuracy.top1), formatValue(e.accuracy.many), formatValue(e.accuracy.medium), formatValue(e.accuracy.few), formatValue(e.accuracy.groupStd)]);
      process.stdout.write(formatColumns(['protocol', 'train images', 'all', 'many', 'medium', 'few', 'std'], rows) + `\nwrote ${dir.replace(/\/$/, '')}/eval.json\n`);
    });
  return program;
}

function int(text: string | undefined, flag: string, zeroOk = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < (zeroOk ? 0 : 1)) throw new BclError('USAGE', `${flag} must be a ${zeroOk ? 'non-negative' : 'positive'} integer, but got "${text}".`, { hint: `e.g. ${flag} 10` });
  return value;
}

function positive(text: string | undefined, flag: string, zeroOk = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || !(zeroOk ? value >= 0 : value > 0)) throw new BclError('USAGE', `${flag} must be a ${zeroOk ? 'non-negative' : 'positive'} number, but got "${text}".`, { hint: `e.g. ${flag} 0.1` });
  return value;
}
