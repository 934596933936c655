import * as fs from 'node:fs';
import * as path from 'node:path';
import { BclError } from '../../errors';
import { readRuns, type RunSummary } from './read-run';
import { writeReportCharts, type ReportChart } from './report-charts';
import { reportHtml } from './report-html';

/** What {@link writeReport} wrote. */
export interface WrittenReport {
  /** The page to open: `<outDir>/report.html`. */
  readonly html: string;
  readonly charts: ReportChart[];
  readonly runs: RunSummary[];
}

/**
 * Writes a report of one or more run folders side by side into `outDir`: `report.html` plus its PNG
 * charts (Many / Medium / Few bars, per-class accuracy against class frequency, loss, learning
 * rate, kNN accuracy over epochs when logged, BCL's memorization scores when BCL ran). Runs without
 * `eval.json` still get their training charts.
 */
export async function writeReport(runDirs: readonly string[], outDir: string): Promise<WrittenReport> {
  if (runDirs.length === 0) throw new BclError('USAGE', 'bcl report needs at least one run folder.', { hint: 'bcl report runs/a runs/b --out report/' });
  const runs = readRuns(runDirs);
  // Everything is written into a sibling staging folder first and moved into place only when
  // complete, so a failure (a full disk) leaves the previous report in outDir whole (F7).
  const staging = `${outDir.replace(/[\\/]+$/, '')}.partial-${process.pid}`;
  try {
    fs.mkdirSync(outDir, { recursive: true });
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging);
  } catch (error) {
    throw new BclError('IO_FAILED', `could not create ${outDir} (${(error as Error).message}).`, { cause: error });
  }
  try {
    const charts = await writeReportCharts(runs, staging);
    const stagedHtml = path.join(staging, 'report.html');
    try {
      fs.writeFileSync(stagedHtml, reportHtml(runs, charts, new Date().toISOString()));
    } catch (error) {
      throw new BclError('IO_FAILED', `could not write ${path.join(outDir, 'report.html')} (${(error as Error).message}); the previous report is intact.`, { cause: error });
    }
    // Renames within one file system do not allocate; the page goes last, so it never names a
    // chart that is not there yet.
    for (const chart of charts) fs.renameSync(path.join(staging, chart.file), path.join(outDir, chart.file));
    const html = path.join(outDir, 'report.html');
    fs.renameSync(stagedHtml, html);
    return { html, charts, runs };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
