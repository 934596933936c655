import { formatValue } from '../format-table';
import { headlineProtocol, protocolsOf, type ProtocolResult, type ReportChart } from './report-charts';
import { epochSeries, methodLabel, type RunSummary } from './read-run';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body { font-family: 'DejaVu Sans', Arial, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; line-height: 1.45; padding: 0 16px; }
h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 19px; margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; } th { background: #f3f3f3; }
td.name, th.name { text-align: left; } td.best { font-weight: bold; background: #eef6ee; }
figure { margin: 12px 0 24px; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: 13px; color: #555; max-width: 820px; } .note { font-size: 13px; color: #555; }
`;

/** The report page: paper-style tables per protocol, per-class table, charts, and how to read them. */
export function reportHtml(runs: readonly RunSummary[], charts: readonly ReportChart[], generatedAt: string): string {
  const parts: string[] = [];
  parts.push(`<h1>bcl-ssl evaluation report</h1><p class="note">${runs.length} run${runs.length === 1 ? '' : 's'}, generated ${escapeHtml(generatedAt)}. Accuracies are top-1 percentages on the balanced test set unless marked otherwise.</p>`);
  parts.push('<h2>Runs</h2>', runsTable(runs));
  parts.push('<h2>Accuracy by protocol</h2>', protocolTables(runs));
  const figures = (section: ReportChart['section']): string => charts.filter((c) => c.section === section).map(figure).join('\n');
  parts.push(figures('accuracy'));
  parts.push(perClassTable(runs));
  if (charts.some((c) => c.section === 'training')) parts.push('<h2>Training</h2>', figures('training'));
  if (charts.some((c) => c.section === 'bcl')) parts.push('<h2>BCL memorization scores</h2>', figures('bcl'));
  parts.push(HOW_TO_READ);
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>bcl-ssl report: ${escapeHtml(runs.map((r) => r.label).join(' vs '))}</title><style>${STYLE}</style></head><body>\n${parts.join('\n')}\n</body></html>\n`;
}

function runsTable(runs: readonly RunSummary[]): string {
  const rows = runs.map((run) => {
    const r = run.recipe;
    const losses = epochSeries(run, 'loss', (v) => (typeof v === 'number' ? v : undefined));
    const e = run.evaluation;
    return `<tr><td class="name">${escapeHtml(run.label)}</td><td class="name">${escapeHtml(methodLabel(run))}</td><td class="name">${escapeHtml(`ResNet-${r.backbone?.depth ?? '?'} w${r.backbone?.width ?? '?'}`)}</td><td>${escapeHtml(String(r.data?.batchSize ?? '-'))}</td><td>${losses.length ? escapeHtml(String(losses.at(-1)!.epoch)) : '-'} / ${escapeHtml(String(r.epochs ?? '-'))}</td><td>${losses.length ? losses.at(-1)!.value.toFixed(4) : '-'}</td><td class="name">${e ? `epoch ${escapeHtml(String(e.run.epochs))} on ${escapeHtml(e.backend)}` : 'not evaluated: run <code>bcl eval</code>'}</td></tr>`;
  });
  return `<table><tr><th class="name">run</th><th class="name">method</th><th class="name">backbone</th><th>batch</th><th>epochs logged</th><th>last epoch loss</th><th class="name">evaluated</th></tr>${rows.join('')}</table>`;
}

type Column = { key: 'many' | 'medium' | 'few' | 'groupStd' | 'top1' | 'top5'; title: string; lowerIsBetter?: boolean };
const COLUMNS: Column[] = [
  { key: 'many', title: 'Many' },
  { key: 'medium', title: 'Medium' },
  { key: 'few', title: 'Few' },
  { key: 'groupStd', title: 'Std ↓', lowerIsBetter: true },
  { key: 'top1', title: 'All (top-1)' },
  { key: 'top5', title: 'top-5' },
];

/** One table per protocol, rows = runs, as BCL's tables put methods side by side; best value per column in bold. */
function protocolTables(runs: readonly RunSummary[]): string {
  const protocols = [...new Set(runs.flatMap((r) => protocolsOf(r.evaluation).map((p) => p.protocol)))];
  if (protocols.length === 0) return '<p class="note">No run has an eval.json yet: run <code>bcl eval &lt;run-dir&gt;</code> first.</p>';
  return protocols
    .map((protocol) => {
      const results = runs.map((run) => protocolsOf(run.evaluation).find((p) => p.protocol === protocol));
      const best = COLUMNS.map((col) => {
        const values = results.flatMap((r) => (r && r.mean[col.key] !== null ? [r.mean[col.key] as number] : []));
        return values.length > 1 ? (col.lowerIsBetter ? Math.min(...values) : Math.max(...values)) : undefined;
      });
      const seeds = results.find((r) => r)?.seeds ?? 1;
      const rows = runs.map((run, i) => {
        const r = results[i];
        const cells = COLUMNS.map((col, j) => {
          if (!r) return '<td>-</td>';
          const value = r.mean[col.key];
          const std = r.std?.[col.key];
          return `<td${value !== null && value === best[j] ? ' class="best"' : ''}>${formatValue(value, std)}</td>`;
        });
        return `<tr><td class="name">${escapeHtml(run.label)}</td><td class="name">${escapeHtml(methodLabel(run))}</td>${cells.join('')}</tr>`;
      });
      return `<h3>${escapeHtml(protocol)}${seeds > 1 ? ` (mean ± std over ${seeds} seeds)` : ''}</h3><table><tr><th class="name">run</th><th class="name">method</th>${COLUMNS.map((c) => `<th>${c.title}</th>`).join('')}</tr>${rows.join('')}</table>`;
    })
    .join('\n');
}

function perClassTable(runs: readonly RunSummary[]): string {
  const protocol = headlineProtocol(runs);
  const first = runs.find((r) => r.evaluation)?.evaluation;
  if (!protocol || !first) return '';
  const results: (ProtocolResult | undefined)[] = runs.map((r) => protocolsOf(r.evaluation).find((p) => p.protocol === protocol));
  const { classNames, train } = first.data;
  const order = classNames.map((_, c) => c).sort((a, b) => train.classCounts[b] - train.classCounts[a] || a - b);
  const group = (c: number): string => (first.groups.many.includes(c) ? 'Many' : first.groups.few.includes(c) ? 'Few' : 'Medium');
  const rows = order.map((c) => `<tr><td class="name">${escapeHtml(classNames[c])}</td><td>${escapeHtml(String(train.classCounts[c]))}</td><td class="name">${group(c)}</td>${results.map((r) => `<td>${formatValue(r?.mean.perClass[c] ?? null)}</td>`).join('')}</tr>`);
  return `<h3>Per-class top-1 accuracy (${escapeHtml(protocol)}), most to least frequent</h3><table><tr><th class="name">class</th><th>training images</th><th class="name">group</th>${runs.map((r) => `<th>${escapeHtml(r.label)}</th>`).join('')}</tr>${rows.join('')}</table>`;
}

function figure(chart: ReportChart): string {
  // Charts are rendered at 2x; show them at their layout size.
  return `<figure><img src="${escapeHtml(chart.file)}" alt="${escapeHtml(chart.title)}" width="${Math.round(chart.width / 2)}"><figcaption><b>${escapeHtml(chart.title)}.</b> ${escapeHtml(chart.caption)}</figcaption></figure>`;
}

const HOW_TO_READ = `<h2>How to read this report</h2>
<ul class="note">
<li><b>Protocols.</b> <i>linear full-shot</i>: a linear classifier trained on frozen features of a balanced training split, 500 epochs of Adam (the BCL authors' protocol). <i>linear k-shot</i>: the same on k images per class, several random subsets (mean ± std). <i>kNN</i>: weighted 200-nearest-neighbour vote with the long-tailed training set as the bank (fast, no training; biased toward the head).</li>
<li><b>Many / Medium / Few.</b> Classes grouped by how many training images they had in the long-tailed set (the group rule is in eval.json). <b>Std</b> is the population standard deviation (np.std, as the authors compute it) of the three group accuracies: BCL's balance measure, lower is better. A ± after a k-shot value is the sample std across seeds.</li>
<li><b>Did the method help?</b> Compare rows within one protocol table: a better long-tail method raises Few (and All) and lowers Std without losing much on Many. Differences smaller than the ± std across seeds are noise.</li>
<li>Bold marks the best value of a column (lowest for Std) when several runs have one.</li>
</ul>`;
