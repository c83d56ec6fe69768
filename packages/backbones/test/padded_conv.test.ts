import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { type ConvPadding, PaddedConv2D, registerBackboneLayers, StemConv2D } from '../src';
import { maxRelError, values } from './helpers';

/** Direct NHWC convolution in float64 with explicit zero padding (groups = channels when depthwise). */
function referenceConv(
  x: Float32Array,
  [n, h, w, c]: number[],
  kernel: Float32Array,
  k: number,
  filters: number,
  stride: number,
  [[top, bottom], [left, right]]: ConvPadding,
  depthwise: boolean,
): { data: Float64Array; shape: number[] } {
  const oh = Math.floor((h! + top + bottom - k) / stride) + 1;
  const ow = Math.floor((w! + left + right - k) / stride) + 1;
  const oc = depthwise ? c! : filters;
  const out = new Float64Array(n! * oh * ow * oc);
  for (let b = 0; b < n!; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let o = 0; o < oc; o++) {
          let sum = 0;
          for (let ky = 0; ky < k; ky++)
            for (let kx = 0; kx < k; kx++) {
              const y = oy * stride + ky - top;
              const xx = ox * stride + kx - left;
              if (y < 0 || y >= h! || xx < 0 || xx >= w!) continue;
              const at = ((b * h! + y) * w! + xx) * c!;
              if (depthwise) sum += x[at + o]! * kernel[(ky * k + kx) * c! + o]!;
              else
                for (let i = 0; i < c!; i++)
                  sum += x[at + i]! * kernel[((ky * k + kx) * c! + i) * filters + o]!;
            }
          out[((b * oh + oy) * ow + ox) * oc + o] = sum;
        }
  return { data: out, shape: [n!, oh, ow, oc] };
}

describe('PaddedConv2D', () => {
  const shape = [2, 7, 6, 3];
  const padding: ConvPadding = [
    [0, 1],
    [1, 2],
  ];

  it.each([
    ['conv', false],
    ['depthwise', true],
  ] as const)(
    '%s: forward equals a direct float64 convolution with lopsided padding (≤ 1e-5)',
    (_, depthwise) => {
      for (const stride of [1, 2]) {
        const layer = new PaddedConv2D({ filters: 4, kernelSize: 3, strides: stride, padding, depthwise });
        const x = tf.tensor(values(tf.util.sizeFromShape(shape), 1), shape);
        const y = layer.apply(x) as tf.Tensor;
        const kernel = layer.getWeights()[0]!;
        const want = referenceConv(
          x.dataSync() as Float32Array,
          shape,
          kernel.dataSync() as Float32Array,
          3,
          4,
          stride,
          padding,
          depthwise,
        );
        expect(y.shape).toEqual(want.shape);
        expect(layer.computeOutputShape([null, 7, 6, 3])).toEqual([null, ...want.shape.slice(1)]);
        expect(maxRelError(y.dataSync(), want.data)).toBeLessThanOrEqual(1e-5);
        expect(kernel.shape).toEqual(depthwise ? [3, 3, 3, 1] : [3, 3, 3, 4]);
        tf.dispose([x, y]);
        layer.dispose();
      }
    },
  );

  it('gradients equal those of an explicit zero pad + valid conv, for input and kernel (≤ 1e-5)', () => {
    for (const depthwise of [false, true]) {
      const layer = new PaddedConv2D({ filters: 4, kernelSize: 3, strides: 2, padding, depthwise });
      const x = tf.tensor(values(tf.util.sizeFromShape(shape), 2), shape);
      const y = layer.apply(x) as tf.Tensor;
      const weight = tf.tensor(values(y.size, 3), y.shape);
      const conv = (t: tf.Tensor, k: tf.Tensor, pad: tf.backend_util.ExplicitPadding | 'valid') =>
        depthwise
          ? tf.depthwiseConv2d(t as tf.Tensor4D, k as tf.Tensor4D, 2, pad)
          : tf.conv2d(t as tf.Tensor4D, k as tf.Tensor4D, 2, pad);
      const kernel = layer.getWeights()[0]!;
      const grads = (f: (t: tf.Tensor, k: tf.Tensor) => tf.Tensor) =>
        tf.grads((t: tf.Tensor, k: tf.Tensor) => tf.sum(tf.mul(f(t, k), weight)))([x, kernel]);
      const reference = grads((t, k) =>
        conv(tf.pad(t, [[0, 0], padding[0], padding[1], [0, 0]]), k, 'valid'),
      );
      // The layer itself: input gradient through apply, kernel gradient through its variable.
      const input = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, weight)))(x);
      const viaLayer = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, weight)));
      const kernelGrad = viaLayer.grads[(layer.trainableWeights[0]!.read() as tf.Variable).name]!;
      expect(maxRelError(input.dataSync(), reference[0]!.dataSync())).toBeLessThanOrEqual(1e-5);
      expect(maxRelError(kernelGrad.dataSync(), reference[1]!.dataSync())).toBeLessThanOrEqual(1e-5);
      tf.dispose([x, y, weight, input, viaLayer.value, ...Object.values(viaLayer.grads), ...reference]);
      layer.dispose();
    }
  });

  it('computes no input gradient for a constant input (the plain op’s gradient is pruned)', async () => {
    const layer = new PaddedConv2D({ filters: 4, kernelSize: 3, strides: 1, padding });
    const image = tf.tensor(values(tf.util.sizeFromShape(shape), 4), shape);
    tf.dispose(layer.apply(image) as tf.Tensor);
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(image) as tf.Tensor));
      tf.dispose([value, ...Object.values(grads)]);
    });
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain('Conv2DBackpropFilter');
    expect(names).not.toContain('Conv2DBackpropInput');
    tf.dispose(image);
    layer.dispose();
  });

  it('round-trips through tfjs serialisation with its padding, and rejects bad arguments by name', () => {
    registerBackboneLayers();
    const input = tf.input({ shape: [7, 6, 3] });
    const output = new PaddedConv2D({
      kernelSize: 3,
      strides: 2,
      padding,
      depthwise: true,
      name: 'dw',
    }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const copy = tf.models.modelFromJSON({ modelTopology: model.toJSON(null, false) } as never);
    return copy.then((m) => {
      const layer = m.getLayer('dw') as PaddedConv2D;
      expect(layer).toBeInstanceOf(PaddedConv2D);
      expect([layer.padding, layer.depthwise, layer.strides]).toEqual([padding, true, 2]);
      expect(m.outputs[0]!.shape).toEqual(model.outputs[0]!.shape);
      m.dispose();
      model.dispose();
      expect(() => new PaddedConv2D({ kernelSize: 3, strides: 1, padding })).toThrow(
        'PaddedConv2D: filters must be an integer ≥ 1, got undefined',
      );
      expect(
        () =>
          new PaddedConv2D({
            filters: 2,
            kernelSize: 3,
            strides: 1,
            padding: [
              [1, -1],
              [0, 0],
            ],
          }),
      ).toThrow('PaddedConv2D: each padding must be an integer ≥ 0, got -1');
      expect(
        () =>
          new PaddedConv2D({
            filters: 2,
            kernelSize: 3,
            strides: 1,
            padding: [1, 1] as unknown as ConvPadding,
          }),
      ).toThrow('PaddedConv2D: padding must be [[top, bottom], [left, right]], got [1,1]');
    });
  });

  it('StemConv2D, the earlier stem layer, still loads from its saved config and is an unpadded conv', async () => {
    registerBackboneLayers();
    const input = tf.input({ shape: [7, 6, 3] });
    const output = new StemConv2D({ filters: 4, kernelSize: 3, strides: 2, name: 'stem' }).apply(
      input,
    ) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const json = model.toJSON(null, false) as unknown as string;
    // The saved config is the old one: no padding or depthwise keys.
    expect(JSON.stringify(json)).not.toContain('depthwise');
    const copy = await tf.models.modelFromJSON({ modelTopology: json } as never);
    const layer = copy.getLayer('stem');
    expect(layer).toBeInstanceOf(StemConv2D);
    const x = tf.tensor(values(2 * 7 * 6 * 3, 7), [2, 7, 6, 3]);
    layer.setWeights(model.getLayer('stem').getWeights());
    const want = referenceConv(
      x.dataSync() as Float32Array,
      [2, 7, 6, 3],
      layer.getWeights()[0]!.dataSync() as Float32Array,
      3,
      4,
      2,
      [
        [0, 0],
        [0, 0],
      ],
      false,
    );
    const y = copy.predict(x) as tf.Tensor;
    expect(y.shape).toEqual(want.shape);
    expect(maxRelError(y.dataSync(), want.data)).toBeLessThanOrEqual(1e-5);
    tf.dispose([x, y]);
    copy.dispose();
    model.dispose();
  });
});
