import * as path from 'node:path';
import { groupBarsSpec, headToTailSpec, lineChartSpec, perClassSpec, scoreHistogramSpec, type ClassPoint, type GroupBar, type HeadToTailPoint, type HistogramCell, type LinePoint } from '../charts/chart-specs';
import { writeChart } from '../charts/render-chart';
import type { EvalReport } from '../eval-report';
import type { ProbeAccuracy } from '../long-tail-metrics';
import { epochSeries, stepsPerEpoch, type RunSummary } from './read-run';

/** A chart written for the report. */
export interface ReportChart {
  /** File name inside the report folder. */
  readonly file: string;
  readonly section: 'accuracy' | 'training' | 'bcl';
  readonly title: string;
  /** What to look for, for the HTML caption. */
  readonly caption: string;
  readonly width: number;
  readonly height: number;
}

/** One evaluated protocol of a run, as the report tables and charts show it. */
export interface ProtocolResult {
  /** `linear full-shot`, `linear 100-shot`, `kNN`, `finetune CE`, `finetune cRT`, `finetune LA`. */
  readonly protocol: string;
  readonly mean: ProbeAccuracy;
  /** Seed-to-seed std when there were several seeds. */
  readonly std?: { readonly top1: number; readonly top5: number; readonly many: number | null; readonly medium: number | null; readonly few: number | null; readonly groupStd: number | null };
  readonly seeds: number;
}

/** The protocols of one evaluation, linear ones first (full, then by shots descending), then kNN, then `bcl finetune`'s CE / cRT / LA. */
export function protocolsOf(evaluation: EvalReport | undefined): ProtocolResult[] {
  if (!evaluation) return [];
  const linear = [...evaluation.linear].sort((a, b) => (a.shots === 'full' ? -1 : b.shots === 'full' ? 1 : b.shots - a.shots));
  const out: ProtocolResult[] = linear.map((e) => ({
    protocol: `linear ${e.shots === 'full' ? 'full' : e.shots}-shot`,
    mean: e.summary.mean,
    std: e.runs.length > 1 ? e.summary.std : undefined,
    seeds: e.runs.length,
  }));
  if (evaluation.knn) out.push({ protocol: `kNN`, mean: evaluation.knn.accuracy, seeds: 1 });
  for (const t of evaluation.transfer ?? []) out.push({ protocol: `transfer ${t.name}`, mean: t.accuracy, seeds: 1 });
  for (const f of evaluation.finetune ?? []) out.push({ protocol: `finetune ${f.method.toUpperCase() === 'CRT' ? 'cRT' : f.method.toUpperCase()}`, mean: f.accuracy, seeds: 1 });
  return out;
}

/** The protocol per-class charts use: full-shot linear if any run has it, else the first one found. */
export function headlineProtocol(runs: readonly RunSummary[]): string | undefined {
  const all = runs.flatMap((r) => protocolsOf(r.evaluation).map((p) => p.protocol));
  return all.find((p) => p === 'linear full-shot') ?? all[0];
}

/** Writes every chart the runs have data for into `outDir`; returns them in display order. */
export async function writeReportCharts(runs: readonly RunSummary[], outDir: string): Promise<ReportChart[]> {
  const charts: ReportChart[] = [];
  const add = async (file: string, spec: Record<string, unknown>, meta: Omit<ReportChart, 'file' | 'width' | 'height'>): Promise<void> => {
    const image = await writeChart(spec, path.join(outDir, file));
    charts.push({ file, width: image.width, height: image.height, ...meta });
  };

  const bars: GroupBar[] = runs.flatMap((run) =>
    protocolsOf(run.evaluation).flatMap((p) =>
      (['Many', 'Medium', 'Few'] as const).flatMap((group) => {
        const key = group.toLowerCase() as 'many' | 'medium' | 'few';
        const accuracy = p.mean[key];
        return accuracy === null ? [] : [{ run: run.label, protocol: p.protocol, group, accuracy, std: p.std?.[key] ?? undefined }];
      }),
    ),
  );
  if (bars.length > 0) {
    await add('groups.png', groupBarsSpec(bars), {
      section: 'accuracy',
      title: 'Many / Medium / Few accuracy',
      caption: 'Top-1 accuracy of the frequent (Many), middle (Medium) and rare (Few) classes, runs side by side; error bars are the seed-to-seed std of k-shot probes. A method that helps the tail lifts Few without dropping Many.',
    });
  }

  const headline = headlineProtocol(runs);
  const classPoints: ClassPoint[] = runs.flatMap((run) => {
    const evaluation = run.evaluation;
    const result = protocolsOf(evaluation).find((p) => p.protocol === headline);
    if (!evaluation || !result) return [];
    return result.mean.perClass.flatMap((accuracy, c) =>
      accuracy === null ? [] : [{ run: run.label, className: evaluation.data.classNames[c] ?? String(c), count: evaluation.data.train.classCounts[c], accuracy }],
    );
  });
  if (classPoints.length > 0) {
    await add('per-class.png', perClassSpec(classPoints, `Per-class top-1 accuracy (${headline}) against training frequency`), {
      section: 'accuracy',
      title: 'Per-class accuracy against class frequency',
      caption: `Each point is one class: its number of training images (log scale) and its test accuracy under ${headline}. A flat line means the features serve rare classes as well as frequent ones; a rising line means the head dominates.`,
    });
  }

  const loss: LinePoint[] = [];
  const lr: LinePoint[] = [];
  for (const run of runs) {
    const perEpoch = stepsPerEpoch(run);
    const x = (step: number): number => (perEpoch ? (step + 1) / perEpoch : step);
    for (const e of run.metrics) {
      if (e.scope !== 'step') continue;
      if (typeof e.values.loss === 'number') loss.push({ series: run.label, x: x(e.step), y: e.values.loss });
      if (typeof e.values.lr === 'number') lr.push({ series: run.label, x: x(e.step), y: e.values.lr });
    }
  }
  const xTitle = runs.every((r) => stepsPerEpoch(r) !== undefined) ? 'epoch' : 'step';
  if (loss.length > 0) {
    await add('loss.png', lineChartSpec(loss, { title: 'Training loss', xTitle, yTitle: 'loss (logged steps)' }), {
      section: 'training',
      title: 'Training loss',
      caption: 'The contrastive loss at the logged steps. Runs with add-ons that change the augmentation (BCL) train on harder views, so their loss is not comparable in level, only in trend.',
    });
  }
  if (lr.length > 0) {
    await add('lr.png', lineChartSpec(lr, { title: 'Learning rate', xTitle, yTitle: 'learning rate' }), {
      section: 'training',
      title: 'Learning rate',
      caption: 'The schedule as applied: linear warm-up, then cosine decay.',
    });
  }
  const knn: LinePoint[] = runs.flatMap((run) => epochSeries(run, 'knn/top1', (v) => (typeof v === 'number' ? v : undefined)).map(({ epoch, value }) => ({ series: run.label, x: epoch, y: value })));
  if (knn.length > 0) {
    await add('knn.png', lineChartSpec(knn, { title: 'kNN top-1 accuracy during training', xTitle: 'epoch', yTitle: 'kNN top-1 (%)', points: true }), {
      section: 'training',
      title: 'kNN accuracy over epochs',
      caption: 'The knn-monitor add-on\'s kNN accuracy on the test set after each monitored epoch: whether the features were still improving when training stopped.',
    });
  }

  for (const [i, run] of runs.entries()) {
    const histogram: HistogramCell[] = epochSeries(run, 'bcl/scoreHistogram', (v) => (Array.isArray(v) ? (v as number[]) : undefined)).flatMap(({ epoch, value }) =>
      value.map((count, b) => ({ epoch, low: b / value.length, high: (b + 1) / value.length, count })),
    );
    if (histogram.length > 0) {
      await add(`bcl-scores-${i + 1}.png`, scoreHistogramSpec(histogram, run.label), {
        section: 'bcl',
        title: `${run.label}: memorization-score histogram`,
        caption: 'How many training samples BCL scored in each band after each epoch. Samples with high scores are the ones the model has not memorised yet; BCL gives them stronger augmentation.',
      });
    }
    const classes = epochSeries(run, 'bcl/classesHeadToTail', (v) => (Array.isArray(v) ? (v as number[]) : undefined));
    const names = run.evaluation?.data.classNames;
    const headToTail: HeadToTailPoint[] = epochSeries(run, 'bcl/meanScoreHeadToTail', (v) => (Array.isArray(v) ? (v as number[]) : undefined)).flatMap(({ epoch, value }) => {
      const order = classes.find((c) => c.epoch === epoch)?.value ?? value.map((_, r) => r);
      return value.map((meanScore, rank) => ({ epoch, rank, className: names?.[order[rank]] ?? `class ${order[rank]}`, meanScore }));
    });
    if (headToTail.length > 0) {
      await add(`bcl-head-to-tail-${i + 1}.png`, headToTailSpec(headToTail, run.label), {
        section: 'bcl',
        title: `${run.label}: mean score per class, head to tail`,
        caption: 'BCL\'s mean score of each class, most frequent first, one line per epoch. Tail classes scoring higher than head classes is what BCL relies on: it finds the tail without labels.',
      });
    }
  }
  return charts;
}
