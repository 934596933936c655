import { Option, type Command } from 'commander';
import * as fs from 'node:fs';
import { BACKEND_PREFERENCE, type BackendName } from '../backends/select-backend';
import { BclError } from '../errors';
import { evaluateRun } from '../eval/evaluate-run';
import { formatEvalTable } from '../eval/format-table';
import type { GroupRuleName, Shots } from '../eval/probe-sets';
import type { ProbeChoice } from '../eval/run-probes';
import { addPluginOption, loadPluginFlags, loadRunImports, type PluginFlags } from './plugin-options';

interface EvalFlags {
  probe: ProbeChoice;
  shots: string;
  seeds: string;
  epochs: string;
  groups: GroupRuleName;
  k: string;
  temperature: string;
  checkpoint?: string;
  backend?: BackendName;
  json: boolean;
}

/**
 * Adds `bcl eval <run-dir>`: kNN and linear probes on the run's frozen features, long-tail
 * metrics, a table on stdout and `<run-dir>/eval.json`. Options and defaults: docs/evaluation.md.
 * Returns `program`.
 */
export function addEvalCommand(program: Command): Command {
  const command = program
    .command('eval')
    .description('evaluate a trained run: kNN and linear probes on frozen features with Many/Medium/Few accuracy; writes <run-dir>/eval.json')
    .argument('<run-dir>', 'run folder written by bcl train')
    .addOption(new Option('--probe <kind>', 'which probes to run').choices(['linear', 'knn', 'all']).default('all'))
    .option('--shots <list>', 'linear-probe training sets, comma-separated: "full" (a balanced training split) and/or images per class', 'full,100,50')
    .option('--seeds <n>', 'random k-shot subsets per shot count (mean and std are reported)', '3')
    .option('--epochs <n>', 'linear-probe epochs (the BCL authors: 500)', '500')
    .addOption(new Option('--groups <rule>', 'Many/Medium/Few rule: thirds by frequency (CIFAR-LT), authors-thirds (as the authors\' code: the remainder goes to Many), thresholds >100/<20 (ImageNet-LT), or auto').choices(['auto', 'thirds', 'authors-thirds', 'thresholds']).default('auto'))
    .option('--k <n>', 'kNN neighbours', '200')
    .option('--temperature <t>', 'kNN vote temperature', '0.1')
    .option('--checkpoint <file>', 'evaluate this checkpoint instead of the newest valid one')
    .addOption(new Option('-b, --backend <name>', 'tensor backend (default: BCL_BACKEND or the best available)').choices([...BACKEND_PREFERENCE]))
    .option('--json', 'print eval.json on stdout instead of the table', false);
  addPluginOption(command)
    .action(async (dir: string, flags: EvalFlags & PluginFlags) => {
      if (!fs.existsSync(dir)) throw new BclError('USAGE', `run folder ${dir} does not exist.`, { hint: 'Pass a folder written by bcl train, e.g. runs/<recipe>.' });
      await loadPluginFlags(flags);
      await loadRunImports(dir);
      const report = await evaluateRun(dir, {
        probe: flags.probe,
        shots: parseShots(flags.shots),
        seeds: positiveInt(flags.seeds, '--seeds'),
        epochs: positiveInt(flags.epochs, '--epochs'),
        groups: flags.groups,
        knn: { k: positiveInt(flags.k, '--k'), temperature: positiveNumber(flags.temperature, '--temperature') },
        checkpoint: flags.checkpoint,
        backend: flags.backend,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : formatEvalTable(report) + `wrote ${dir.replace(/\/$/, '')}/eval.json\n`);
    });
  return program;
}

/** `full,100,50` to `['full', 100, 50]`; duplicates dropped. */
export function parseShots(text: string): Shots[] {
  const shots: Shots[] = [];
  for (const part of text.split(',').map((s) => s.trim())) {
    const value: Shots = part === 'full' ? 'full' : /^\d+$/.test(part) && Number(part) > 0 ? Number(part) : NaN;
    if (typeof value === 'number' && Number.isNaN(value)) {
      throw new BclError('USAGE', `--shots must list "full" and/or positive integers, but got "${part}".`, { hint: 'e.g. --shots full,100,50 or --shots 10' });
    }
    if (!shots.includes(value)) shots.push(value);
  }
  return shots;
}

function positiveInt(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new BclError('USAGE', `${flag} must be a positive integer, but got "${text}".`, { hint: `e.g. ${flag} 3` });
  return value;
}

function positiveNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value)) throw new BclError('USAGE', `${flag} must be a positive number, but got "${text}".`, { hint: `e.g. ${flag} 0.1` });
  return value;
}
