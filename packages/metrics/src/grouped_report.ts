import { accuracy } from './accuracy';
import { averagePrecision } from './average_precision';
import { eer } from './eer';
import { rocAuc } from './roc_auc';
import type { Labels, Scores } from './types';
import { assertThreshold, show } from './validate';

/** Built-in metrics of {@link GroupedReport}: ROC AUC, accuracy, average precision and equal error rate. */
export type ReportMetricName = 'auc' | 'accuracy' | 'ap' | 'eer';

/** A custom metric for {@link GroupedReport}. */
export interface ReportMetric {
  /** Name written to the JSON output. */
  name: string;
  /** Computes the cell value from labels and scores. */
  compute(labels: Labels, scores: Scores): number;
  /** Show values ×100 in Markdown/CSV (the metric returns a fraction). Default true. */
  percent?: boolean;
}

/** Options of {@link GroupedReport}. */
export interface GroupedReportOptions {
  /** What `add` computes. Default `'auc'`. */
  metric?: ReportMetricName | ReportMetric;
  /** Decision threshold of the `'accuracy'` metric. Default 0.5. */
  threshold?: number;
  /** Row order, e.g. `['NT', 'DF', 'F2F', 'FS', 'FSH', 'CDFv2', 'FFIW10K']`; other rows follow in order of first use. */
  rows?: readonly string[];
  /** Column order, e.g. `['raw', 'c23', 'c40', 'JPEG']`; listed columns are shown even when empty. */
  columns?: readonly string[];
  /** Header of the row-name column. Default `'Dataset'`. */
  rowHeader?: string;
  /** Append a column with each row's mean. Default true. */
  averageColumn?: boolean;
  /** Append a row with each column's mean. Default false. */
  averageRow?: boolean;
  /** Label of the average row and column. Default `'Avg'`. */
  averageLabel?: string;
  /** Decimals in Markdown and CSV. Default 2. */
  digits?: number;
}

/** The machine-readable form of a {@link GroupedReport}: raw values (fractions, not percentages), null where missing. */
export interface GroupedReportJson {
  /** Metric name, e.g. `'auc'`. */
  metric: string;
  /** Whether Markdown/CSV show the values as percentages. */
  percent: boolean;
  /** Row names in display order. */
  rows: string[];
  /** Column names in display order. */
  columns: string[];
  /** `values[row][column]`, null for a missing cell. */
  values: Record<string, Record<string, number | null>>;
  /** Mean of each row's present cells; present when the average column is on. */
  rowAverages?: Record<string, number | null>;
  /** Mean of each column's present cells; present when the average row is on. */
  columnAverages?: Record<string, number | null>;
  /** Mean of all present cells; present when both averages are on. */
  overallAverage?: number | null;
}

const MISSING = '-';

function builtInMetric(name: ReportMetricName, threshold: number): ReportMetric {
  switch (name) {
    case 'auc':
      return { name, compute: rocAuc };
    case 'accuracy':
      return { name, compute: (labels, scores) => accuracy(labels, scores, threshold) };
    case 'ap':
      return { name, compute: averagePrecision };
    case 'eer':
      return { name, compute: (labels, scores) => eer(labels, scores).eer };
    default:
      throw new Error(
        `Option 'metric' passed to 'GroupedReport' must be 'auc', 'accuracy', 'ap', 'eer' or a ReportMetric, ` +
          `but got ${show(name)}.`,
      );
  }
}

function mean(values: readonly (number | undefined)[]): number | undefined {
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (v !== undefined) {
      sum += v;
      count++;
    }
  }
  return count === 0 ? undefined : sum / count;
}

function assertName(value: unknown, argName: string, fnName: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(
      `Argument '${argName}' passed to '${fnName}' must be a non-empty string, but got ${show(value)}.`,
    );
  }
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function markdownCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/**
 * A table of one metric per (row, column) cell, in the layout of the QAD paper's Table 1: rows are datasets
 * or manipulations, columns are compression qualities, plus an average column (and optionally an average
 * row). Averages are means over the cells present, computed on raw values before rounding; a cell with no
 * value is shown as `-`.
 *
 * @example
 * ```ts
 * const report = new GroupedReport({ metric: 'auc', columns: ['raw', 'c23', 'c40'] });
 * report.add('DF', 'c23', labels, scores);
 * report.set('NT', 'raw', 0.9912);
 * console.log(report.toMarkdown());
 * ```
 */
export class GroupedReport {
  private readonly metric: ReportMetric;
  private readonly percent: boolean;
  private readonly rowNames: string[];
  private readonly columnNames: string[];
  private readonly cells = new Map<string, Map<string, number>>();
  private readonly options: Required<
    Pick<GroupedReportOptions, 'rowHeader' | 'averageColumn' | 'averageRow' | 'averageLabel' | 'digits'>
  >;

  constructor(options: GroupedReportOptions = {}) {
    const {
      metric = 'auc',
      threshold = 0.5,
      rows = [],
      columns = [],
      rowHeader = 'Dataset',
      averageColumn = true,
      averageRow = false,
      averageLabel = 'Avg',
      digits = 2,
    } = options;
    assertThreshold(threshold, 'threshold', 'GroupedReport');
    if (!(Number.isInteger(digits) && digits >= 0 && digits <= 20)) {
      throw new Error(
        `Option 'digits' passed to 'GroupedReport' must be an integer in [0, 20], but got ${show(digits)}.`,
      );
    }
    this.metric = typeof metric === 'string' ? builtInMetric(metric, threshold) : metric;
    this.percent = this.metric.percent ?? true;
    for (const row of rows) assertName(row, 'rows', 'GroupedReport');
    for (const column of columns) assertName(column, 'columns', 'GroupedReport');
    this.rowNames = [...new Set(rows)];
    this.columnNames = [...new Set(columns)];
    this.options = { rowHeader, averageColumn, averageRow, averageLabel, digits };
  }

  /**
   * Computes the report's metric on `labels`/`scores` and stores it in cell (row, column), replacing any
   * previous value.
   * @returns the value stored (a fraction, e.g. 0.9734 for 97.34%).
   * @throws whatever the metric throws, e.g. for single-class labels.
   */
  add(row: string, column: string, labels: Labels, scores: Scores): number {
    assertName(row, 'row', 'GroupedReport.add');
    assertName(column, 'column', 'GroupedReport.add');
    const value = this.metric.compute(labels, scores);
    if (!Number.isFinite(value)) {
      throw new Error(
        `The metric '${this.metric.name}' of 'GroupedReport.add' returned ${show(value)} for cell ` +
          `(${row}, ${column}); a finite number is required.`,
      );
    }
    this.store(row, column, value);
    return value;
  }

  /**
   * Stores an already computed value (a fraction for percentage metrics) in cell (row, column).
   * @throws unless value is a finite number.
   */
  set(row: string, column: string, value: number): void {
    assertName(row, 'row', 'GroupedReport.set');
    assertName(column, 'column', 'GroupedReport.set');
    if (!Number.isFinite(value)) {
      throw new Error(
        `Argument 'value' passed to 'GroupedReport.set' must be a finite number, but got ${show(value)}.`,
      );
    }
    this.store(row, column, value);
  }

  /** The raw value of a cell, or undefined when it is missing. */
  get(row: string, column: string): number | undefined {
    return this.cells.get(row)?.get(column);
  }

  /** Row names in display order. */
  get rows(): readonly string[] {
    return [...this.rowNames];
  }

  /** Column names in display order. */
  get columns(): readonly string[] {
    return [...this.columnNames];
  }

  /** Mean of the present cells of a row, or undefined when the row has none. */
  rowAverage(row: string): number | undefined {
    return mean(this.columnNames.map((column) => this.get(row, column)));
  }

  /** Mean of the present cells of a column, or undefined when the column has none. */
  columnAverage(column: string): number | undefined {
    return mean(this.rowNames.map((row) => this.get(row, column)));
  }

  /** Mean of every present cell, or undefined when the table is empty. */
  overallAverage(): number | undefined {
    return mean(this.rowNames.flatMap((row) => this.columnNames.map((column) => this.get(row, column))));
  }

  /**
   * GitHub-flavoured Markdown table, values formatted with {@link GroupedReportOptions.digits} decimals
   * (×100 for percentage metrics), `-` for missing cells; ends with a newline.
   */
  toMarkdown(): string {
    const [header, ...body] = this.grid();
    const line = (cells: readonly string[]) => `| ${cells.map(markdownCell).join(' | ')} |`;
    const rule = `| ${header!.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`;
    return `${[line(header!), rule, ...body.map(line)].join('\n')}\n`;
  }

  /** CSV (RFC 4180 quoting, `\n` line ends) with the same cells as {@link GroupedReport.toMarkdown}. */
  toCsv(): string {
    return `${this.grid()
      .map((cells) => cells.map(csvField).join(','))
      .join('\n')}\n`;
  }

  /** Raw values for machines; also what `JSON.stringify(report)` writes. */
  toJSON(): GroupedReportJson {
    const orNull = (v: number | undefined) => (v === undefined ? null : v);
    const json: GroupedReportJson = {
      metric: this.metric.name,
      percent: this.percent,
      rows: [...this.rowNames],
      columns: [...this.columnNames],
      values: Object.fromEntries(
        this.rowNames.map((row) => [
          row,
          Object.fromEntries(this.columnNames.map((column) => [column, orNull(this.get(row, column))])),
        ]),
      ),
    };
    if (this.options.averageColumn) {
      json.rowAverages = Object.fromEntries(this.rowNames.map((row) => [row, orNull(this.rowAverage(row))]));
    }
    if (this.options.averageRow) {
      json.columnAverages = Object.fromEntries(
        this.columnNames.map((column) => [column, orNull(this.columnAverage(column))]),
      );
    }
    if (this.options.averageColumn && this.options.averageRow) {
      json.overallAverage = orNull(this.overallAverage());
    }
    return json;
  }

  private store(row: string, column: string, value: number): void {
    if (!this.rowNames.includes(row)) this.rowNames.push(row);
    if (!this.columnNames.includes(column)) this.columnNames.push(column);
    let cellsOfRow = this.cells.get(row);
    if (cellsOfRow === undefined) {
      cellsOfRow = new Map();
      this.cells.set(row, cellsOfRow);
    }
    cellsOfRow.set(column, value);
  }

  private format(value: number | undefined): string {
    if (value === undefined) return MISSING;
    return (this.percent ? value * 100 : value).toFixed(this.options.digits);
  }

  /** Header plus body as display strings, shared by the Markdown and CSV renderers. */
  private grid(): string[][] {
    const { rowHeader, averageColumn, averageRow, averageLabel } = this.options;
    const header = [rowHeader, ...this.columnNames, ...(averageColumn ? [averageLabel] : [])];
    const body = this.rowNames.map((row) => [
      row,
      ...this.columnNames.map((column) => this.format(this.get(row, column))),
      ...(averageColumn ? [this.format(this.rowAverage(row))] : []),
    ]);
    if (averageRow) {
      body.push([
        averageLabel,
        ...this.columnNames.map((column) => this.format(this.columnAverage(column))),
        ...(averageColumn ? [this.format(this.overallAverage())] : []),
      ]);
    }
    return [header, ...body];
  }
}
