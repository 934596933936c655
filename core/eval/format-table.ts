import type { EvalReport } from './eval-report';

/** A number with `digits` decimals, a `±std` when given and non-zero-width, or `-` for null. */
export function formatValue(value: number | null | undefined, std?: number | null, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return std !== undefined && std !== null ? `${value.toFixed(digits)}±${std.toFixed(digits)}` : value.toFixed(digits);
}

/** Left-aligned text columns separated by two spaces; numbers right-aligned. */
export function formatColumns(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.±-]+$/.test(r[i]) || r[i] === '-'));
  const line = (cells: string[]): string => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * The terminal summary of one evaluation: one row per protocol with top-1, top-5, Many / Medium /
 * Few and their standard deviation, k-shot values as mean±std over seeds.
 */
export function formatEvalTable(report: EvalReport): string {
  const rows: string[][] = [];
  if (report.knn) {
    const a = report.knn.accuracy;
    rows.push([`kNN k=${report.knn.k} T=${report.knn.temperature}`, report.knn.bank.name, '-', formatValue(a.top1), formatValue(a.top5), formatValue(a.many), formatValue(a.medium), formatValue(a.few), formatValue(a.groupStd)]);
  }
  for (const entry of report.linear) {
    const { mean, std } = entry.summary;
    const spread = entry.runs.length > 1;
    rows.push([
      `linear ${entry.epochs}ep`,
      entry.source,
      entry.shots === 'full' ? 'full' : `${entry.shots}x${entry.runs.length}`,
      formatValue(mean.top1, spread ? std.top1 : undefined),
      formatValue(mean.top5, spread ? std.top5 : undefined),
      formatValue(mean.many, spread ? std.many : undefined),
      formatValue(mean.medium, spread ? std.medium : undefined),
      formatValue(mean.few, spread ? std.few : undefined),
      formatValue(mean.groupStd, spread ? std.groupStd : undefined),
    ]);
  }
  const { groups } = report;
  const lines = [
    `${report.run.dir}: ${report.run.method}${report.run.plugins.length ? ' + ' + report.run.plugins.join(' + ') : ''}, epoch ${report.run.epochs}, ${report.backend}`,
    `test set ${report.data.test.name} (${report.data.test.size} images); groups by ${groups.rule}: many ${groups.many.join(',') || '-'} | medium ${groups.medium.join(',') || '-'} | few ${groups.few.join(',') || '-'}`,
    '',
    formatColumns(['probe', 'trained on', 'shots', 'top-1', 'top-5', 'many', 'medium', 'few', 'std'], rows),
  ];
  for (const s of report.skipped) lines.push(`skipped ${s.probe}${s.shots === undefined ? '' : ` ${s.shots}-shot`}: ${s.reason}`);
  lines.push('', `accuracies in %; shots "100x3" = 100 per class, mean±sample std over 3 seeds; std = population std (np.std, as the authors) of many/medium/few (lower is more balanced)`);
  return lines.join('\n') + '\n';
}
