import { Option, type Command } from 'commander';
import * as fs from 'node:fs';
import { BACKEND_PREFERENCE, type BackendName } from '../backends/select-backend';
import { BclError } from '../errors';
import { formatColumns, formatValue } from '../eval/format-table';
import { transferProbe } from '../eval/transfer-probe';

/**
 * Adds `bcl transfer <run-dir> --train-list a.txt --test-list b.txt --root dir`: the transfer
 * linear probe of BCL's Table 4 (top-1 / top-5 on another dataset), merged into
 * `<run-dir>/eval.json`. docs/evaluation.md. Returns `program`.
 */
export function addTransferCommand(program: Command): Command {
  program
    .command('transfer')
    .description("transfer linear probe: the run's frozen backbone probed on another dataset given as image lists; top-1 / top-5 into <run-dir>/eval.json")
    .argument('<run-dir>', 'run folder written by bcl train')
    .requiredOption('--train-list <file>', '"relative/path label" lines of the target training images')
    .requiredOption('--test-list <file>', 'the target test images, same format')
    .requiredOption('--root <dir>', 'folder the listed paths are relative to')
    .option('--name <name>', 'target name in eval.json and the report (default: the train list name)')
    .option('--epochs <n>', 'linear-probe epochs (the BCL authors: 500)', '500')
    .addOption(new Option('-b, --backend <name>', 'tensor backend (default: BCL_BACKEND or the best available)').choices([...BACKEND_PREFERENCE]))
    .action(async (dir: string, flags: { trainList: string; testList: string; root: string; name?: string; epochs: string; backend?: BackendName }) => {
      if (!fs.existsSync(dir)) throw new BclError('USAGE', `run folder ${dir} does not exist.`, { hint: 'Pass a folder written by bcl train, e.g. runs/<recipe>.' });
      const epochs = Number(flags.epochs);
      if (!Number.isInteger(epochs) || epochs < 1) throw new BclError('USAGE', `--epochs must be a positive integer, but got "${flags.epochs}".`, { hint: 'e.g. --epochs 500' });
      const entry = await transferProbe(dir, { trainList: flags.trainList, testList: flags.testList, root: flags.root, name: flags.name, epochs, backend: flags.backend, log: (l) => process.stderr.write(`${l}\n`) });
      process.stdout.write(formatColumns(['target', 'train', 'test', 'classes', 'top-1', 'top-5'], [[entry.name, String(entry.trainSize), String(entry.testSize), String(entry.numClasses), formatValue(entry.accuracy.top1), formatValue(entry.accuracy.top5)]]) + `\nwrote ${dir.replace(/\/$/, '')}/eval.json\n`);
    });
  return program;
}
