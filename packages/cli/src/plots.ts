import { rocCurve } from '@qad/metrics';
import type { QualityPredictions } from '@qad/trainer';

/** A rendered figure. */
export interface Figure {
  svg: string;
  /** PNG bytes, rendered from the SVG by sharp (librvsg). */
  png(): Promise<Uint8Array>;
}

// vega and vega-lite are ESM-only and heavy; load them only when a figure is drawn.
async function render(spec: object): Promise<Figure> {
  const vega = await import('vega');
  const vegaLite = await import('vega-lite');
  const compiled = vegaLite.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return {
    svg,
    async png() {
      const sharp = (await import('sharp')).default;
      return new Uint8Array(await sharp(Buffer.from(svg), { density: 144 }).png().toBuffer());
    },
  };
}

/**
 * ROC curves, one line per quality (or per model), with the AUC in the legend.
 *
 * @param curves - name → predictions (frame level).
 */
export async function rocFigure(curves: Record<string, QualityPredictions>, title = 'ROC'): Promise<Figure> {
  const values: { series: string; fpr: number; tpr: number; order: number }[] = [];
  for (const [name, p] of Object.entries(curves)) {
    const roc = rocCurve(p.labels, p.scores);
    const auc = trapezoid(roc.fpr, roc.tpr);
    const series = `${name} (AUC ${(auc * 100).toFixed(1)})`;
    roc.fpr.forEach((f, i) => {
      values.push({ series, fpr: f, tpr: roc.tpr[i]!, order: i });
    });
  }
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 360,
    height: 360,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'fpr', type: 'quantitative', title: 'false positive rate', scale: { domain: [0, 1] } },
      y: { field: 'tpr', type: 'quantitative', title: 'true positive rate', scale: { domain: [0, 1] } },
      color: { field: 'series', type: 'nominal', title: null },
      order: { field: 'order', type: 'quantitative' },
    },
  });
}

function trapezoid(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return area;
}

/** Options of {@link tsneFigure}. */
export interface TsneOptions {
  /** Perplexity. Default 30 (capped below the number of points). */
  perplexity?: number;
  /** Gradient iterations. Default 500. */
  iterations?: number;
  seed?: number;
  title?: string;
}

/**
 * 2-D t-SNE embedding of feature rows (druidjs, seeded: the same input and seed give the same points).
 */
export async function tsneEmbedding(
  features: readonly Float32Array[],
  options: TsneOptions = {},
): Promise<number[][]> {
  if (features.length < 5) throw new Error(`t-SNE needs at least 5 points, got ${features.length}.`);
  const { TSNE } = await import('@saehrimnir/druidjs');
  const perplexity = Math.min(options.perplexity ?? 30, Math.floor((features.length - 1) / 3));
  const tsne = new TSNE(
    features.map((f) => Array.from(f)),
    { perplexity, seed: options.seed ?? 1 },
  );
  return tsne.transform(options.iterations ?? 500);
}

/**
 * t-SNE of pooled features (paper Fig. 5): points coloured by class and shaped by quality.
 *
 * @param features - `n × d` rows.
 */
export async function tsneFigure(
  features: readonly Float32Array[],
  labels: readonly number[],
  qualities: readonly string[],
  options: TsneOptions = {},
): Promise<Figure> {
  if (features.length !== labels.length || features.length !== qualities.length) {
    throw new Error(
      `tsneFigure: ${features.length} feature rows, ${labels.length} labels and ${qualities.length} qualities must match.`,
    );
  }
  const embedding = await tsneEmbedding(features, options);
  const values = embedding.map((p, i) => ({
    x: p[0],
    y: p[1],
    class: labels[i] === 1 ? 'fake' : 'real',
    quality: qualities[i],
  }));
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title ?? 't-SNE of pooled features',
    width: 360,
    height: 360,
    data: { values },
    mark: { type: 'point', filled: true, size: 30, opacity: 0.7 },
    encoding: {
      x: { field: 'x', type: 'quantitative', axis: null },
      y: { field: 'y', type: 'quantitative', axis: null },
      color: { field: 'class', type: 'nominal' },
      shape: { field: 'quality', type: 'nominal' },
    },
  });
}

/** One line of a {@link curveFigure}. */
export interface CurveSeries {
  x: readonly number[];
  y: readonly number[];
}

/**
 * Lines of y against x, one per series (e.g. validation AUC against the training step, per method and seed).
 *
 * @param series - name → points; a name may repeat a group with a suffix, every series gets its own colour.
 */
export async function curveFigure(
  series: Record<string, CurveSeries>,
  axes: { title: string; x: string; y: string },
): Promise<Figure> {
  const values = Object.entries(series).flatMap(([name, s]) =>
    s.x.map((x, i) => ({ series: name, x, y: s.y[i] })),
  );
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: axes.title,
    width: 420,
    height: 280,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: axes.x },
      y: { field: 'y', type: 'quantitative', title: axes.y },
      color: { field: 'series', type: 'nominal', title: null },
    },
  });
}
