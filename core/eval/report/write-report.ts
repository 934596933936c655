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
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (error) {
    throw new BclError('IO_FAILED', `could not create ${outDir} (${(error as Error).message}).`, { cause: error });
  }
  const charts = await writeReportCharts(runs, outDir);
  const html = path.join(outDir, 'report.html');
  try {
    fs.writeFileSync(html, reportHtml(runs, charts, new Date().toISOString()));
  } catch (error) {
    throw new BclError('IO_FAILED', `could not write ${html} (${(error as Error).message}).`, { cause: error });
  }
  return { html, charts, runs };
}
