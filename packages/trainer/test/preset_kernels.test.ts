import { createBackbone } from '@qad/backbones';
import { cka, collaborativeLoss, gaussianGram } from '@qad/hsic';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { presetFor } from '../src/presets';
import { resolveTapWeights } from '../src/tap_weights';

// The preset's kernel as collaborativeLoss builds it: Gaussian, σ = 6, distance scaled by the feature size.
const kernel = (z: tf.Tensor) => gaussianGram(z, { sigma: 6, scaleByDim: true });

const built = new Map<string, { tapNames: string[]; shapes: number[][] }>();

/** Tapped feature shapes of a registered backbone at its default input size, read from the built graph. */
function tapShapes(name: 'resnet50' | 'efficientnet_b1'): { tapNames: string[]; shapes: number[][] } {
  const known = built.get(name);
  if (known) return known;
  const net = createBackbone(name);
  const shapes = net.featureModel.outputs.slice(1).map((o) => o.shape.slice(1) as number[]);
  const tapNames = [...net.tapNames];
  net.dispose();
  built.set(name, { tapNames, shapes });
  return { tapNames, shapes };
}

describe.each([
  ['resnet50', 'authors'],
  ['resnet50', 'paper'],
  ['efficientnet_b1', 'authors'],
  ['efficientnet_b1', 'paper'],
] as const)('%s, %s preset, at the real tapped feature sizes', (name, preset: 'authors' | 'paper') => {
  it('the collaborative term has a non-zero gradient and a few steps on it align the qualities in its kernel', async () => {
    const hyper = presetFor(name, preset);
    expect(hyper.hsicPreset).toBe(preset);
    const { tapNames, shapes } = tapShapes(name);
    // B = 4 faces (the real B is 32–64; whether the kernel degenerates depends on d, not B), M = 2 qualities:
    // raw, and a degraded copy of the same faces (post-ReLU maps of raw + noise).
    const b = 4;
    // Each pass over ResNet-50's layer1 takes seconds on the cpu backend: let the test runner breathe.
    const breathe = () => new Promise((resolve) => setImmediate(resolve));
    const tapWeights = resolveTapWeights({ name, tapNames }, undefined, preset);
    expect(Object.values(tapWeights)).toEqual(preset === 'paper' ? [1, 1, 1] : [0.1, 0.25, 0.5]);
    const before = tf.memory().numTensors;
    const raw: Record<string, tf.Tensor> = {};
    const degraded: Record<string, tf.Variable> = {};
    tapNames.forEach((tap, t) => {
      const shape = [b, ...shapes[t]!];
      const [r, d] = tf.tidy(() => {
        const pre = tf.randomNormal(shape, 0, 1, 'float32', 10 + t);
        return [tf.relu(pre), tf.relu(tf.add(pre, tf.randomNormal(shape, 0, 1.5, 'float32', 20 + t)))];
      });
      raw[tap] = r!;
      degraded[tap] = tf.variable(d!);
      d!.dispose();
    });
    const options = { preset, tapWeights, validate: false };
    const alignment = () =>
      tf.tidy(() => tapNames.map((tap) => cka(kernel(raw[tap]!), kernel(degraded[tap]!)).dataSync()[0]!));
    const start = alignment();
    await breathe();

    const { value, grads } = tf.variableGrads(
      () => collaborativeLoss([raw, degraded], options),
      Object.values(degraded),
    );
    const loss0 = value.dataSync()[0]!;
    for (const tap of tapNames) {
      const g = grads[degraded[tap]!.name]!;
      const norm = tf.tidy(() => tf.norm(g).dataSync()[0]!);
      expect(Number.isFinite(norm)).toBe(true);
      expect(norm, `gradient at ${tap}`).toBeGreaterThan(0);
    }
    tf.dispose([value, ...Object.values(grads)]);

    // Two normalised gradient steps, each moving every tap by 5 % of its norm.
    for (let step = 0; step < 2; step++) {
      await breathe();
      const { value: v, grads: g } = tf.variableGrads(
        () => collaborativeLoss([raw, degraded], options),
        Object.values(degraded),
      );
      tf.tidy(() => {
        for (const tap of tapNames) {
          const x = degraded[tap]!;
          const d = g[x.name]!;
          x.assign(tf.sub(x, tf.mul(d, tf.div(tf.mul(tf.norm(x), 0.05), tf.norm(d)))));
        }
      });
      tf.dispose([v, ...Object.values(g)]);
    }
    await breathe();
    const loss3 = tf.tidy(() => collaborativeLoss([raw, degraded], options).dataSync()[0]!);
    const end = alignment();
    expect(loss3).toBeLessThan(loss0);
    tapNames.forEach((tap, t) => {
      expect(end[t]!, `alignment at ${tap}: ${start[t]} → ${end[t]}`).toBeGreaterThan(start[t]!);
    });
    tf.dispose([...Object.values(raw), ...Object.values(degraded)]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the degenerate kernel the paper preset used to have', () => {
  it('on raw squared distances of a real feature map, K = I and the gradient is exactly zero', () => {
    // ResNet-50 layer3 at 224 px: 14 × 14 × 1024 = 200 704 values per sample.
    const a = tf.relu(tf.randomNormal([8, 14, 14, 1024], 0, 1, 'float32', 1));
    const c = tf.relu(tf.randomNormal([8, 14, 14, 1024], 0, 1, 'float32', 2));
    const g = tf.grad((z: tf.Tensor) =>
      collaborativeLoss([{ t: a }, { t: z }], { preset: 'paper', scaleByDim: false, validate: false }),
    )(c);
    expect(tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0])).toBe(0);
    tf.dispose([a, c, g]);
  });
});
