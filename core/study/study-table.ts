import type { EvalReport } from '../eval/eval-report';
import { meanOf, sampleStd } from '../eval/long-tail-metrics';
import { meanInterval, type MeanInterval } from './student-t';

/** The metrics a study tabulates, in the paper's column order. */
export const STUDY_METRICS = ['many', 'medium', 'few', 'groupStd', 'top1'] as const;
export type StudyMetric = (typeof STUDY_METRICS)[number];
const TITLES: Record<StudyMetric, string> = { many: 'Many', medium: 'Medium', few: 'Few', groupStd: 'Std', top1: 'All' };

/** One evaluated cell or floor of a study. */
export interface StudyResult {
  /** Method label, or `floor:<kind>`. */
  readonly label: string;
  readonly permutation: number | null;
  readonly seed: number;
  readonly report: EvalReport;
}

/** Mean and sample std (n - 1) over the cells of one method. */
export interface MetricSpread {
  readonly mean: number | null;
  readonly std: number | null;
}

/** One protocol's table: a row per method (floors included) and the paired differences vs the baseline. */
export interface ProtocolTable {
  /** `kNN`, `linear full-shot`, `linear 100-shot`, ... */
  readonly protocol: string;
  readonly rows: { readonly label: string; readonly n: number; readonly metrics: Record<StudyMetric, MetricSpread> }[];
  /** Per method other than the baseline: mean difference (method - baseline) over cells with the same seed and permutation, with a t interval. */
  readonly paired: { readonly label: string; readonly n: number; readonly metrics: Record<StudyMetric, MeanInterval | null> }[];
}

/** The whole study summary. */
export interface StudyTable {
  readonly baseline: string;
  readonly level: number;
  readonly protocols: ProtocolTable[];
}

type Values = Record<StudyMetric, number | null>;

/** The protocols of one eval.json with their summary values (k-shot: the mean over the probe seeds). */
export function protocolValues(report: EvalReport): Map<string, Values> {
  const out = new Map<string, Values>();
  const pick = (a: Values): Values => ({ many: a.many, medium: a.medium, few: a.few, groupStd: a.groupStd, top1: a.top1 });
  if (report.knn) out.set('kNN', pick(report.knn.accuracy));
  for (const entry of report.linear) out.set(`linear ${entry.shots === 'full' ? 'full-shot' : `${entry.shots}-shot`}`, pick(entry.summary.mean));
  for (const entry of report.finetune ?? []) out.set(`finetune ${entry.method === 'crt' ? 'cRT' : entry.method.toUpperCase()}`, pick(entry.accuracy));
  return out;
}

/**
 * Tabulates a study: mean ± sample std over seeds and permutations per method, and the paired
 * differences against `baseline` (cells matched on seed and permutation, so data-split and
 * permutation effects cancel) with a two-sided t interval at `level`.
 */
export function studyTable(results: readonly StudyResult[], labels: readonly string[], baseline: string, level = 0.95): StudyTable {
  const protocols: string[] = [];
  const values = results.map((r) => ({ ...r, values: protocolValues(r.report) }));
  for (const r of values) for (const p of r.values.keys()) if (!protocols.includes(p)) protocols.push(p);
  const key = (permutation: number | null, seed: number): string => `${permutation}/${seed}`;
  return {
    baseline,
    level,
    protocols: protocols.map((protocol) => {
      const of = (label: string) => values.filter((r) => r.label === label && r.values.has(protocol));
      const rows = labels
        .map((label) => {
          const cells = of(label);
          const metrics = {} as Record<StudyMetric, MetricSpread>;
          for (const m of STUDY_METRICS) {
            const xs = cells.map((c) => c.values.get(protocol)![m]);
            metrics[m] = xs.some((x) => x === null) || xs.length === 0 ? { mean: null, std: null } : { mean: meanOf(xs), std: sampleStd(xs as number[]) };
          }
          return { label, n: cells.length, metrics };
        })
        .filter((row) => row.n > 0);
      const base = new Map(of(baseline).map((c) => [key(c.permutation, c.seed), c.values.get(protocol)!]));
      const paired = labels
        .filter((label) => label !== baseline)
        .map((label) => {
          const pairs = of(label).filter((c) => base.has(key(c.permutation, c.seed)));
          const metrics = {} as Record<StudyMetric, MeanInterval | null>;
          for (const m of STUDY_METRICS) {
            const d = pairs.map((c) => {
              const a = c.values.get(protocol)![m];
              const b = base.get(key(c.permutation, c.seed))![m];
              return a === null || b === null ? null : a - b;
            });
            metrics[m] = d.length === 0 || d.some((x) => x === null) ? null : meanInterval(d as number[], level);
          }
          return { label, n: pairs.length, metrics };
        })
        .filter((row) => row.n > 0);
      return { protocol, rows, paired };
    }),
  };
}

/** The study table as Markdown: one section per protocol, values to 2 decimals. */
export function formatStudyTable(table: StudyTable): string {
  const lines: string[] = [];
  const f = (x: number | null): string => (x === null ? '-' : x.toFixed(2));
  const signed = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(2);
  for (const p of table.protocols) {
    lines.push(`### ${p.protocol}`, '', `| method | n | ${STUDY_METRICS.map((m) => TITLES[m]).join(' | ')} |`, `|---|---|${STUDY_METRICS.map(() => '---').join('|')}|`);
    for (const row of p.rows) {
      const cells = STUDY_METRICS.map((m) => {
        const { mean, std } = row.metrics[m];
        return mean === null ? '-' : row.n > 1 ? `${f(mean)} ± ${f(std)}` : f(mean);
      });
      lines.push(`| ${row.label} | ${row.n} | ${cells.join(' | ')} |`);
    }
    if (p.paired.length > 0) {
      lines.push('', `Paired differences vs ${table.baseline} (same seed and permutation): mean [${Math.round(table.level * 100)}% t interval]`, '');
      lines.push(`| method | pairs | ${STUDY_METRICS.map((m) => `Δ${TITLES[m]}`).join(' | ')} |`, `|---|---|${STUDY_METRICS.map(() => '---').join('|')}|`);
      for (const row of p.paired) {
        const cells = STUDY_METRICS.map((m) => {
          const d = row.metrics[m];
          if (d === null) return '-';
          return d.low === null ? signed(d.mean) : `${signed(d.mean)} [${signed(d.low)}, ${signed(d.high!)}]`;
        });
        lines.push(`| ${row.label} | ${row.n} | ${cells.join(' | ')} |`);
      }
    }
    lines.push('');
  }
  lines.push('Accuracies in %. ± is the sample std (n - 1) over seeds x permutations; Std is the population std of Many / Medium / Few (np.std, as the authors); Δ = method - baseline.');
  return lines.join('\n') + '\n';
}
