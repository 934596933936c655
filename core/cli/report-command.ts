import type { Command } from 'commander';
import * as fs from 'node:fs';
import { BclError } from '../errors';
import { formatColumns, formatValue } from '../eval/format-table';
import { methodLabel } from '../eval/report/read-run';
import { protocolsOf } from '../eval/report/report-charts';
import { writeReport } from '../eval/report/write-report';

/**
 * Adds `bcl report <run-dir...> [--out dir]`: the runs side by side as an HTML page with PNG charts
 * (report.html in the output folder), and the comparison table on stdout. Returns `program`.
 */
export function addReportCommand(program: Command): Command {
  program
    .command('report')
    .description('compare runs side by side: writes report.html and PNG charts (accuracy by class group, per class, training curves, BCL scores)')
    .argument('<run-dir...>', 'run folders written by bcl train (evaluate them with bcl eval first for the accuracy tables)')
    .option('-o, --out <dir>', 'report folder', 'report')
    .action(async (dirs: string[], flags: { out: string }) => {
      for (const dir of dirs) {
        if (!fs.existsSync(dir)) throw new BclError('USAGE', `run folder ${dir} does not exist.`, { hint: 'Pass folders written by bcl train, e.g. runs/<recipe>.' });
      }
      const written = await writeReport(dirs, flags.out);
      const rows: string[][] = [];
      for (const run of written.runs) {
        if (!run.evaluation) process.stderr.write(`${run.dir} has no eval.json: its accuracy is missing from the report (run bcl eval ${run.dir}).\n`);
        for (const p of protocolsOf(run.evaluation)) {
          rows.push([run.label, methodLabel(run), p.protocol, formatValue(p.mean.many), formatValue(p.mean.medium), formatValue(p.mean.few), formatValue(p.mean.groupStd), formatValue(p.mean.top1)]);
        }
      }
      if (rows.length > 0) process.stdout.write(formatColumns(['run', 'method', 'protocol', 'many', 'medium', 'few', 'std', 'all'], rows) + '\n');
      process.stdout.write(`wrote ${written.html} and ${written.charts.length} charts\n`);
    });
  return program;
}
