import { GroupedReport } from '@qad/metrics';
import type { Evaluation, QualityMetrics } from '@qad/trainer';

/** A metric column of the result tables. */
export type TableMetric =
  | 'auc'
  | 'accuracy'
  | 'balancedAccuracy'
  | 'eer'
  | 'ap'
  | 'videoAuc'
  | 'videoAccuracy';

const LABEL: Record<TableMetric, string> = {
  auc: 'AUC',
  accuracy: 'ACC',
  balancedAccuracy: 'balanced ACC',
  eer: 'EER',
  ap: 'AP',
  videoAuc: 'video AUC',
  videoAccuracy: 'video ACC',
};

/**
 * The paper's Table 1 layout for one metric: one row per evaluated model or data set, one column per quality,
 * plus the average column. Values in percent with 2 decimals.
 */
export function metricTable(
  rows: Record<string, Evaluation>,
  metric: TableMetric,
  qualities?: readonly string[],
): GroupedReport {
  const columns = qualities ?? [...new Set(Object.values(rows).flatMap((e) => Object.keys(e.perQuality)))];
  const report = new GroupedReport({
    metric: { name: metric, compute: () => Number.NaN },
    columns,
    rowHeader: 'Model',
  });
  for (const [row, evaluation] of Object.entries(rows)) {
    for (const q of columns) {
      const m: QualityMetrics | undefined = evaluation.perQuality[q];
      const v = m?.[metric];
      if (v !== undefined && Number.isFinite(v)) report.set(row, q, v);
    }
  }
  return report;
}

/** Markdown of every metric's table, each under a heading. */
export function evaluationMarkdown(
  rows: Record<string, Evaluation>,
  metrics: readonly TableMetric[] = ['auc', 'accuracy', 'balancedAccuracy', 'videoAuc', 'eer', 'ap'],
): string {
  return metrics.map((m) => `### ${LABEL[m]} (%)\n\n${metricTable(rows, m).toMarkdown()}`).join('\n\n');
}

/** CSV with one line per (model, quality): every metric as a fraction. */
export function evaluationCsv(rows: Record<string, Evaluation>): string {
  const keys: (keyof QualityMetrics)[] = [
    'frames',
    'videos',
    'auc',
    'accuracy',
    'balancedAccuracy',
    'threshold',
    'eer',
    'ap',
    'videoAuc',
    'videoAccuracy',
  ];
  const lines = [['model', 'quality', ...keys].join(',')];
  for (const [row, evaluation] of Object.entries(rows)) {
    for (const [q, m] of Object.entries(evaluation.perQuality)) {
      lines.push(
        [row, q, ...keys.map((k) => (m[k] === undefined ? '' : String(m[k])))].map(csvField).join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
