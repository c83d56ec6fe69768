import { describe, expect, it } from 'vitest';
import { GroupedReport } from '../src';

/*
 * NT:  raw 0.9912, c23 0.95, c40 and JPEG missing            → average (0.9912 + 0.95) / 2 = 0.9706
 * DF:  raw AUC 1 (perfect), c23 AUC 0.75 (see below), c40 0.5 → average 2.25 / 3 = 0.75
 * Column averages: raw (0.9912 + 1) / 2 = 0.9956, c23 (0.95 + 0.75) / 2 = 0.85, c40 0.5, JPEG none;
 * overall over the five present cells: 4.1912 / 5 = 0.83824.
 * DF/c23: fakes 0.35, 0.8 vs reals 0.1, 0.4 → 3 of 4 pairs → AUC 0.75.
 */
function smallTable(averageRow: boolean): GroupedReport {
  const report = new GroupedReport({ metric: 'auc', columns: ['raw', 'c23', 'c40', 'JPEG'], averageRow });
  report.set('NT', 'raw', 0.9912);
  report.set('NT', 'c23', 0.95);
  expect(report.add('DF', 'raw', [0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
  expect(report.add('DF', 'c23', [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
  report.set('DF', 'c40', 0.5);
  return report;
}

describe('GroupedReport', () => {
  it('renders Markdown like the paper table: percentages, 2 decimals, "-" for missing cells', () => {
    expect(smallTable(true).toMarkdown()).toBe(
      [
        '| Dataset | raw | c23 | c40 | JPEG | Avg |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        '| NT | 99.12 | 95.00 | - | - | 97.06 |',
        '| DF | 100.00 | 75.00 | 50.00 | - | 75.00 |',
        '| Avg | 99.56 | 85.00 | 50.00 | - | 83.82 |',
        '',
      ].join('\n'),
    );
  });

  it('renders CSV with the same cells', () => {
    expect(smallTable(true).toCsv()).toBe(
      [
        'Dataset,raw,c23,c40,JPEG,Avg',
        'NT,99.12,95.00,-,-,97.06',
        'DF,100.00,75.00,50.00,-,75.00',
        'Avg,99.56,85.00,50.00,-,83.82',
        '',
      ].join('\n'),
    );
  });

  it('has no average row by default', () => {
    expect(smallTable(false).toCsv()).toBe(
      ['Dataset,raw,c23,c40,JPEG,Avg', 'NT,99.12,95.00,-,-,97.06', 'DF,100.00,75.00,50.00,-,75.00', ''].join(
        '\n',
      ),
    );
  });

  it('writes raw numbers and null for missing cells to JSON', () => {
    const report = smallTable(true);
    expect(JSON.parse(JSON.stringify(report))).toEqual({
      metric: 'auc',
      percent: true,
      rows: ['NT', 'DF'],
      columns: ['raw', 'c23', 'c40', 'JPEG'],
      values: {
        NT: { raw: 0.9912, c23: 0.95, c40: null, JPEG: null },
        DF: { raw: 1, c23: 0.75, c40: 0.5, JPEG: null },
      },
      rowAverages: { NT: (0.9912 + 0.95) / 2, DF: 0.75 },
      columnAverages: { raw: (0.9912 + 1) / 2, c23: (0.95 + 0.75) / 2, c40: 0.5, JPEG: null },
      overallAverage: (0.9912 + 0.95 + 1 + 0.75 + 0.5) / 5,
    });
    expect(report.toJSON().rowAverages?.NT).toBeCloseTo(0.9706, 12);
    expect(report.overallAverage()).toBeCloseTo(0.83824, 12);
    expect(report.get('NT', 'c40')).toBeUndefined();
  });

  it('averages on raw values, not on the rounded display', () => {
    const report = new GroupedReport();
    report.set('X', 'a', 0.12344);
    report.set('X', 'b', 0.12344);
    report.set('X', 'c', 0.12354);
    // Shown as 12.34, 12.34, 12.35, whose mean would round to 12.34; the raw mean is 0.1234733… → 12.35.
    expect(report.rowAverage('X')).toBeCloseTo((0.12344 * 2 + 0.12354) / 3, 15);
    expect(report.toCsv()).toBe('Dataset,a,b,c,Avg\nX,12.34,12.34,12.35,12.35\n');
  });

  it('orders rows and columns as given, then by first use; replaces a cell that is set twice', () => {
    const report = new GroupedReport({ rows: ['NT', 'DF', 'F2F'], columns: ['c23'], averageColumn: false });
    report.set('FSH', 'c40', 0.9);
    report.set('DF', 'c23', 0.8);
    report.set('DF', 'c23', 0.85);
    expect(report.rows).toEqual(['NT', 'DF', 'F2F', 'FSH']);
    expect(report.columns).toEqual(['c23', 'c40']);
    expect(report.toMarkdown()).toBe(
      [
        '| Dataset | c23 | c40 |',
        '| --- | ---: | ---: |',
        '| NT | - | - |',
        '| DF | 85.00 | - |',
        '| F2F | - | - |',
        '| FSH | - | 90.00 |',
        '',
      ].join('\n'),
    );
  });

  it('supports the other built-in metrics and custom ones', () => {
    const labels = [1, 1, 0, 1, 0, 0, 1, 0];
    const scores = [0.9, 0.7, 0.7, 0.5, 0.5, 0.5, 0.2, 0.1];
    const eer = new GroupedReport({ metric: 'eer' });
    eer.add('CDFv2', 'c23', labels, scores);
    // EER 5/12 (worked out in ranking.test.ts) → 41.67.
    expect(eer.toCsv()).toBe('Dataset,c23,Avg\nCDFv2,41.67,41.67\n');
    const acc = new GroupedReport({ metric: 'accuracy', threshold: 0.6, digits: 1 });
    acc.add('FFIW10K', 'raw', labels, scores);
    expect(acc.toCsv()).toBe('Dataset,raw,Avg\nFFIW10K,62.5,62.5\n');
    const ap = new GroupedReport({ metric: 'ap' });
    expect(ap.add('FS', 'raw', labels, scores)).toBeCloseTo(115 / 168, 14);
    const count = new GroupedReport({
      metric: {
        name: 'fakes',
        compute: (l) => Array.from(l as number[]).filter((v) => v === 1).length,
        percent: false,
      },
      rowHeader: 'Manipulation',
      averageLabel: 'Mean',
      digits: 0,
    });
    count.add('DF', 'raw', labels, scores);
    count.set('DF', 'c40', 3);
    expect(count.toCsv()).toBe('Manipulation,raw,c40,Mean\nDF,4,3,4\n');
    expect(count.toJSON().metric).toBe('fakes');
    expect(count.toJSON().percent).toBe(false);
  });

  it('quotes CSV fields and escapes Markdown pipes', () => {
    const report = new GroupedReport({ rowHeader: 'Data, set', averageColumn: false });
    report.set('a|b', 'say "hi"', 0.5);
    expect(report.toCsv()).toBe('"Data, set","say ""hi"""\na|b,50.00\n');
    expect(report.toMarkdown()).toBe('| Data, set | say "hi" |\n| --- | ---: |\n| a\\|b | 50.00 |\n');
  });

  it('errors: bad values, names and options, and metric errors pass through', () => {
    const report = new GroupedReport();
    expect(() => report.set('NT', 'raw', Number.NaN)).toThrow(
      "Argument 'value' passed to 'GroupedReport.set' must be a finite number, but got NaN.",
    );
    expect(() => report.set('', 'raw', 0.5)).toThrow(
      "Argument 'row' passed to 'GroupedReport.set' must be a non-empty string, but got ''.",
    );
    expect(() => report.add('NT', 'raw', [1, 1], [0.2, 0.3])).toThrow(
      /^Argument 'labels' passed to 'rocAuc' must contain both classes, but has no real \(label 0\) samples/,
    );
    expect(report.rows).toEqual([]);
    expect(() => new GroupedReport({ metric: 'f1' as 'auc' })).toThrow(
      "Option 'metric' passed to 'GroupedReport' must be 'auc', 'accuracy', 'ap', 'eer' or a ReportMetric, " +
        "but got 'f1'.",
    );
    expect(() => new GroupedReport({ digits: 1.5 })).toThrow(/Option 'digits' passed to 'GroupedReport'/);
    const broken = new GroupedReport({ metric: { name: 'broken', compute: () => Number.NaN } });
    expect(() => broken.add('NT', 'raw', [0, 1], [0.1, 0.2])).toThrow(
      "The metric 'broken' of 'GroupedReport.add' returned NaN for cell (NT, raw); a finite number is required.",
    );
  });

  it('an empty report renders just the header', () => {
    expect(new GroupedReport({ columns: ['raw'] }).toCsv()).toBe('Dataset,raw,Avg\n');
  });
});
