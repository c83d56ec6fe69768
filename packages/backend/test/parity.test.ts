import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { type KernelCase, relativeError, runOn, values } from './parity_helpers';

// Gradient parity with tfjs's cpu backend, the reference implementation: max |wasm − cpu| / max |cpu|.
const TOL = 1e-4;

type Pad = 'same' | 'valid' | number | number[][];
const explicit: number[][] = [
  [0, 0],
  [1, 2],
  [0, 1],
  [0, 0],
];
// Wider than a 3×3 filter on one side: the transposed convolution must crop rather than pad.
const wide: number[][] = [
  [0, 0],
  [3, 0],
  [1, 4],
  [0, 0],
];

async function expectParity(c: KernelCase): Promise<void> {
  const ours = await runOn('wasm', c);
  const reference = await runOn('cpu', c);
  expect(ours.shape).toEqual(reference.shape);
  expect(relativeError(ours.data, reference.data)).toBeLessThanOrEqual(TOL);
}

function outShape(x: number[], f: number[], stride: number, pad: Pad, depthwise: boolean): number[] {
  const info = tf.backend_util.computeConv2DInfo(
    x as [number, number, number, number],
    f as [number, number, number, number],
    stride,
    1,
    pad as 'same',
    undefined,
    depthwise,
  );
  return info.outShape;
}

const tensor = (shape: number[], seed: number) => ({
  shape,
  data: values(
    shape.reduce((a, b) => a * b, 1),
    seed,
  ),
});

describe('Conv2DBackpropFilter and Conv2DBackpropInput match the cpu backend', () => {
  const cases: Array<{
    n: number;
    h: number;
    w: number;
    c: number;
    k: number;
    fh: number;
    fw: number;
    s: number;
    pad: Pad;
  }> = [];
  for (const pad of ['same', 'valid', 1, explicit, wide] as Pad[])
    for (const s of [1, 2])
      for (const [fh, fw] of [
        [1, 1],
        [3, 3],
        [5, 3],
      ] as const)
        cases.push({ n: 2, h: 9, w: 7, c: 3, k: 5, fh, fw, s, pad });
  cases.push({ n: 1, h: 11, w: 11, c: 1, k: 1, fh: 3, fw: 3, s: 1, pad: 'same' }); // batch 1, one channel
  cases.push({ n: 3, h: 15, w: 13, c: 3, k: 8, fh: 7, fw: 7, s: 2, pad: 'same' }); // ResNet stem
  cases.push({ n: 2, h: 8, w: 8, c: 24, k: 40, fh: 3, fw: 3, s: 2, pad: 'same' }); // many channels, even size
  cases.push({ n: 2, h: 7, w: 7, c: 32, k: 16, fh: 1, fw: 1, s: 2, pad: 'valid' }); // projection shortcut
  // ≥ 16 input channels at stride 1: the input gradient takes the flipped-convolution route.
  cases.push({ n: 2, h: 9, w: 7, c: 17, k: 6, fh: 3, fw: 3, s: 1, pad: 'same' });
  cases.push({ n: 1, h: 8, w: 9, c: 16, k: 5, fh: 3, fw: 3, s: 1, pad: wide });
  cases.push({ n: 2, h: 6, w: 6, c: 16, k: 8, fh: 1, fw: 1, s: 1, pad: 'valid' });

  for (const [index, { n, h, w, c, k, fh, fw, s, pad }] of cases.entries()) {
    const label = `x [${n},${h},${w},${c}] filter ${fh}×${fw}×${c}×${k} stride ${s} pad ${JSON.stringify(pad)}`;
    const xShape = [n, h, w, c];
    const fShape = [fh, fw, c, k];
    const dyShape = outShape(xShape, fShape, s, pad, false);
    it(`filter gradient, ${label}`, async () => {
      await expectParity({
        kernel: 'Conv2DBackpropFilter',
        inputs: { x: tensor(xShape, index), dy: tensor(dyShape, 100 + index) },
        attrs: { strides: [s, s], pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: fShape },
      });
    });
    it(`input gradient, ${label}`, async () => {
      await expectParity({
        kernel: 'Conv2DBackpropInput',
        inputs: { dy: tensor(dyShape, 200 + index), filter: tensor(fShape, 300 + index) },
        attrs: { inputShape: xShape, strides: [s, s], pad, dataFormat: 'NHWC', dimRoundingMode: undefined },
      });
    });
  }
});

describe('depthwise gradients match the cpu backend', () => {
  const cases: Array<{
    n: number;
    h: number;
    w: number;
    c: number;
    m: number;
    f: number;
    s: number;
    pad: Pad;
  }> = [];
  for (const pad of ['same', 'valid', explicit, wide] as Pad[])
    for (const s of [1, 2]) for (const m of [1, 2]) cases.push({ n: 2, h: 9, w: 8, c: 5, m, f: 3, s, pad });
  cases.push({ n: 1, h: 10, w: 10, c: 1, m: 1, f: 5, s: 2, pad: 'same' }); // EfficientNet 5×5, one channel
  cases.push({ n: 3, h: 7, w: 7, c: 16, m: 1, f: 5, s: 1, pad: 'same' });

  for (const [index, { n, h, w, c, m, f, s, pad }] of cases.entries()) {
    const label = `x [${n},${h},${w},${c}] filter ${f}×${f} multiplier ${m} stride ${s} pad ${JSON.stringify(pad)}`;
    const xShape = [n, h, w, c];
    const fShape = [f, f, c, m];
    const dyShape = outShape(xShape, fShape, s, pad, true);
    const attrs = { strides: [s, s], dilations: [1, 1], pad, dimRoundingMode: undefined };
    it(`filter gradient, ${label}`, async () => {
      await expectParity({
        kernel: 'DepthwiseConv2dNativeBackpropFilter',
        inputs: { x: tensor(xShape, index), dy: tensor(dyShape, 100 + index) },
        attrs: { ...attrs, filterShape: fShape },
      });
    });
    it(`input gradient, ${label}`, async () => {
      await expectParity({
        kernel: 'DepthwiseConv2dNativeBackpropInput',
        inputs: { dy: tensor(dyShape, 200 + index), filter: tensor(fShape, 300 + index) },
        attrs: { ...attrs, inputShape: xShape },
      });
    });
  }
});

describe('MaxPoolGrad matches the cpu backend', () => {
  const cases = [
    { shape: [1, 8, 8, 2], size: 2, s: 2, pad: 'valid', ties: false }, // wrong on tfjs-backend-wasm 4.22
    { shape: [2, 15, 15, 4], size: 3, s: 2, pad: 'same', ties: false }, // ResNet stem pool, overlapping windows
    { shape: [1, 7, 9, 3], size: 3, s: 1, pad: 'same', ties: false },
    { shape: [2, 8, 8, 3], size: 3, s: 2, pad: 'same', ties: true }, // equal values: the first maximum wins
  ] as const;
  for (const [index, { shape, size, s, pad, ties }] of cases.entries()) {
    it(`x [${shape}] pool ${size}×${size} stride ${s} ${pad}${ties ? ', with ties' : ''}`, async () => {
      const x = tensor([...shape], index);
      if (ties)
        x.data.forEach((v, i) => {
          x.data[i] = Math.round(v * 2) / 2;
        });
      await tf.setBackend('cpu');
      const y = tf.maxPool(tf.tensor(x.data, [...shape]) as tf.Tensor4D, size, s, pad);
      const output = { shape: y.shape, data: y.dataSync() as Float32Array };
      y.dispose();
      await expectParity({
        kernel: 'MaxPoolGrad',
        inputs: { dy: tensor(output.shape, 50 + index), input: x, output },
        attrs: { filterSize: [size, size], strides: [s, s], pad, dimRoundingMode: undefined },
      });
    });
  }
});

describe('Sum and Mean match the cpu backend', () => {
  const x = tensor([3, 5, 4, 6], 77);
  for (const kernel of ['Sum', 'Mean']) {
    for (const [axis, keepDims] of [
      [[0, 1, 2], false], // per-channel statistics: the JavaScript route
      [[0, 1, 2], true],
      [[0], false],
      [[1, 0], false], // unsorted leading axes
      [[1, 2], false], // global pooling [N, H, W, C] → [N, C]
      [[1, 2], true],
      [[2], false],
      [[0, 2], false], // not contiguous: the original kernel
      [[2, 3], false], // ends on the innermost axis: the original kernel
      [[0, 1, 2, 3], true], // everything: the original kernel
      [-1, false],
    ] as const) {
      it(`${kernel} over ${JSON.stringify(axis)} keepDims ${keepDims}`, async () => {
        await expectParity({ kernel, inputs: { x }, attrs: { axis: axis as unknown as number[], keepDims } });
      });
    }
  }
});
