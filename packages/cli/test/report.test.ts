import { evaluatePredictions } from '@qad/trainer';
import { describe, expect, it } from 'vitest';
import { curveFigure, rocFigure, tsneEmbedding, tsneFigure } from '../src/plots';
import { evaluationCsv, evaluationMarkdown, metricTable } from '../src/report';

// raw: perfectly ranked; c40: AUC 0.75 by hand (pairs: (f0.9 > r0.1, r0.5), (f0.4 > r0.1, < r0.5) → 3/4).
const predictions = {
  raw: {
    scores: Float32Array.from([0.9, 0.8, 0.1, 0.2]),
    labels: [1, 1, 0, 0],
    videos: ['a', 'a', 'b', 'b'],
  },
  c40: {
    scores: Float32Array.from([0.9, 0.4, 0.1, 0.5]),
    labels: [1, 1, 0, 0],
    videos: ['a', 'a', 'b', 'b'],
  },
};

describe('evaluation tables', () => {
  it('computes per-quality, average and pooled metrics (hand-computed)', () => {
    const e = evaluatePredictions(predictions);
    expect(e.perQuality.raw!.auc).toBe(1);
    expect(e.perQuality.c40!.auc).toBe(0.75);
    expect(e.average.auc).toBe(0.875);
    // c40 accuracy at 0.5: 0.9 ✓, 0.4 ✗, 0.1 ✓, 0.5 → fake (≥ 0.5) ✗ → 0.5.
    expect(e.perQuality.c40!.accuracy).toBe(0.5);
    // Video level: a = mean(0.9, 0.4) = 0.65 fake, b = 0.3 real → AUC 1.
    expect(e.perQuality.c40!.videoAuc).toBe(1);
    expect(e.pooled.accuracy).toBe(6 / 8);
    // Balanced: c40 fakes 0.9 ✓ 0.4 ✗ → 1/2, reals 0.5 ✗ 0.1 ✓ → 1/2.
    expect(e.perQuality.c40!.balancedAccuracy).toBe(0.5);
    // A threshold per quality: at 0.45 the c40 real scored 0.5 is called fake, the 0.4 fake is not → still 1/2;
    // at 0.35 every c40 fake is found and one real of two is kept → (1 + 1/2) / 2.
    const t = evaluatePredictions(predictions, { threshold: { raw: 0.5, c40: 0.35 } });
    expect(t.perQuality.c40!.threshold).toBe(0.35);
    expect(t.perQuality.c40!.balancedAccuracy).toBe(0.75);
    expect(() => evaluatePredictions(predictions, { threshold: { raw: 0.5 } })).toThrow(
      "evaluatePredictions: no decision threshold for quality 'c40'.",
    );
  });

  it('renders the paper layout in Markdown and every metric in CSV', () => {
    const rows = { QAD: evaluatePredictions(predictions) };
    expect(metricTable(rows, 'auc').toMarkdown()).toBe(
      [
        '| Model | raw | c40 | Avg |',
        '| --- | ---: | ---: | ---: |',
        '| QAD | 100.00 | 75.00 | 87.50 |',
        '',
      ].join('\n'),
    );
    expect(evaluationMarkdown(rows, ['auc'])).toContain('### AUC (%)');
    const csv = evaluationCsv(rows).trim().split('\n');
    expect(csv[0]).toBe(
      'model,quality,frames,videos,auc,accuracy,balancedAccuracy,threshold,eer,ap,videoAuc,videoAccuracy',
    );
    expect(csv[2]!.startsWith('QAD,c40,4,2,0.75,0.5,0.5,0.5,')).toBe(true);
  });
});

describe('figures', () => {
  it('draws ROC curves as SVG with the AUC in the legend and renders PNG', async () => {
    const fig = await rocFigure(predictions, 'test ROC');
    expect(fig.svg.startsWith('<svg')).toBe(true);
    expect(fig.svg).toContain('raw (AUC 100.0)');
    expect(fig.svg).toContain('c40 (AUC 75.0)');
    const png = await fig.png();
    expect(Array.from(png.slice(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('t-SNE keeps two far-apart clusters apart and is reproducible with a seed', async () => {
    const features: Float32Array[] = [];
    for (let i = 0; i < 30; i++) {
      const c = i % 2;
      features.push(Float32Array.from({ length: 8 }, (_, k) => c * 10 + Math.sin(i * 7 + k)));
    }
    const a = await tsneEmbedding(features, { seed: 3, iterations: 300, perplexity: 5 });
    const b = await tsneEmbedding(features, { seed: 3, iterations: 300, perplexity: 5 });
    expect(a).toEqual(b);
    // Every point's nearest neighbour in the embedding belongs to its own cluster.
    a.forEach((p, i) => {
      let best = -1;
      let bestD = Number.POSITIVE_INFINITY;
      a.forEach((q, j) => {
        const d = (p[0]! - q[0]!) ** 2 + (p[1]! - q[1]!) ** 2;
        if (j !== i && d < bestD) {
          bestD = d;
          best = j;
        }
      });
      expect(best % 2).toBe(i % 2);
    });
    const fig = await tsneFigure(
      features,
      features.map((_, i) => i % 2),
      features.map(() => 'raw'),
      { iterations: 100 },
    );
    expect(fig.svg).toContain('<svg');
  });
});

describe('curveFigure', () => {
  it('draws one line per series as SVG', async () => {
    const figure = await curveFigure(
      { 'ce seed 0': { x: [10, 20], y: [0.6, 0.7] }, 'qad seed 0': { x: [10, 20], y: [0.65, 0.72] } },
      { title: 'validation AUC', x: 'step', y: 'AUC' },
    );
    expect(figure.svg).toContain('<svg');
    expect(figure.svg).toContain('validation AUC');
    expect(figure.svg).toContain('qad seed 0');
  });
});
