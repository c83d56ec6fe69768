import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ADAM_UPDATE,
  type AdamUpdateAttrs,
  BATCH_NORM_TRAIN_BACKWARD,
  BATCH_NORM_TRAIN_FORWARD,
  kernelRoutes,
  RELU_GRAD,
  resetKernelRoutes,
  SWISH,
  SWISH_GRAD,
} from '../src';
import { UNARY_OPS } from '../src/kernels/unary_ops';
import { addon, type KernelCase, ONEDNN, randomInputs, relativeError, runOn, values } from './helpers';

const TOLERANCE = 1e-4;

/** Runs `c` on cpu and onednn, compares, and says whether onednn ran it natively or fell back. */
async function compare(c: KernelCase): Promise<'native' | 'fallback'> {
  const want = await runOn('cpu', c);
  resetKernelRoutes();
  const got = await runOn(ONEDNN, c);
  expect(got.shape).toEqual(want.shape);
  expect(relativeError(got.data, want.data)).toBeLessThanOrEqual(TOLERANCE);
  const route = kernelRoutes()[c.kernel];
  expect(route, `${c.kernel} was not dispatched to the onednn kernel`).toBeDefined();
  return route!.fallback > 0 ? 'fallback' : 'native';
}

beforeEach(() => resetKernelRoutes());

// Same shapes, channel vectors both ways, both operands broadcast, scalars, and sizes past the threshold
// where the loops split across threads (2^15 elements).
const BROADCASTS: Array<[number[], number[]]> = [
  [
    [2, 3, 4, 5],
    [2, 3, 4, 5],
  ],
  [[4, 5, 6, 8], [8]],
  [
    [1, 1, 1, 8],
    [3, 5, 5, 8],
  ],
  [
    [3, 1, 5],
    [1, 4, 1],
  ],
  [
    [2, 1, 3],
    [2, 4, 3],
  ],
  [[6], []],
  [[], [7]],
  [[], []],
  [[16, 32, 32, 16], [16]],
  [
    [16, 32, 32, 16],
    [16, 32, 32, 16],
  ],
  [[70_000], []],
  [
    [8, 1, 64, 1],
    [1, 30, 1, 40],
  ],
];

describe('binary kernels with broadcasting match the cpu backend', () => {
  const kernels = [tf.Add, tf.Sub, tf.Multiply, tf.RealDiv, tf.SquaredDifference, tf.Maximum, tf.Minimum];
  it.each(kernels)('%s over every broadcast pattern', async (kernel) => {
    for (const [a, b] of BROADCASTS) {
      const inputs = randomInputs({ a, b }, 3);
      expect(await compare({ kernel, inputs, attrs: {} }), `${a} ∘ ${b}`).toBe('native');
    }
  });

  it('int32 operands go to the cpu kernel', async () => {
    await tf.setBackend(ONEDNN);
    const a = tf.tensor1d([1, 2, 3], 'int32');
    const b = tf.tensor1d([4, 5, 6], 'int32');
    const sum = tf.add(a, b);
    expect(sum.dtype).toBe('int32');
    expect(Array.from(sum.dataSync())).toEqual([5, 7, 9]);
    expect(kernelRoutes()[tf.Add]).toEqual({ native: 0, fallback: 1 });
    tf.dispose([a, b, sum]);
  });

  it('NaN propagates through maximum and minimum as in JavaScript', async () => {
    const inputs = randomInputs({ a: [40], b: [40] }, 5);
    inputs.a!.data[3] = Number.NaN;
    inputs.b!.data[7] = Number.NaN;
    for (const kernel of [tf.Maximum, tf.Minimum]) {
      const want = await runOn('cpu', { kernel, inputs, attrs: {} });
      const got = await runOn(ONEDNN, { kernel, inputs, attrs: {} });
      expect(Array.from(got.data)).toEqual(Array.from(want.data));
    }
  });
});

describe('unary kernels match the cpu backend', () => {
  const signed = [tf.Relu, tf.Relu6, tf.Neg, tf.Square, tf.Exp, tf.Sigmoid, tf.Abs, tf.Reciprocal, tf.Tanh];
  const positive = [tf.Sqrt, tf.Rsqrt, tf.Log];
  const withAlpha = [tf.Step, tf.LeakyRelu, tf.Elu];
  it.each([...signed, ...positive, ...withAlpha])('%s, small and large', async (kernel) => {
    for (const shape of [[7], [3, 50, 50, 8]]) {
      const inputs = randomInputs({ x: shape }, 9);
      const x = inputs.x!.data;
      for (let i = 0; i < x.length; i++) {
        x[i] = positive.includes(kernel) ? Math.abs(x[i]!) * 4 + 0.05 : x[i]! * 8;
      }
      expect(await compare({ kernel, inputs, attrs: { alpha: 0.2 } }), String(shape)).toBe('native');
    }
  });

  it('Relu, Relu6, Step and LeakyRelu treat NaN, ±0 and ±∞ as the cpu kernels do, in the 4-lane and tail paths', async () => {
    const specials = [Number.NaN, -1, 0, -0, 7, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    // 11 values: two 4-lane blocks and a scalar tail of 3, specials in every position class.
    const data = new Float32Array(Array.from({ length: 11 }, (_, i) => specials[i % specials.length]!));
    const inputs = { x: { shape: [11], data } };
    for (const kernel of [tf.Relu, tf.Relu6, tf.Step, tf.LeakyRelu]) {
      const want = await runOn('cpu', { kernel, inputs, attrs: { alpha: 0.5 } });
      const got = await runOn(ONEDNN, { kernel, inputs, attrs: { alpha: 0.5 } });
      expect(Array.from(got.data)).toEqual(Array.from(want.data));
    }
  });
});

describe('reductions match the cpu backend', () => {
  const cases: Array<[number[], number[], boolean]> = [
    [[4, 5, 6, 8], [0, 1, 2], false],
    [[4, 5, 6, 8], [0, 1, 2], true],
    [[4, 5, 6, 8], [1, 2], true],
    [[4, 5, 6, 8], [3], false],
    [[4, 5, 6, 8], [0], false],
    [[4, 5, 6, 8], [2, 3], false],
    [[4, 1, 6, 8], [0, 2], false], // contiguous once the size-1 axis is dropped
    [[16, 32, 32, 16], [0, 1, 2], false], // one output row: the reduced axis splits across threads
    [[16, 32, 32, 16], [1, 2], false], // many output rows: rows split across threads
    [[300_000], [0], false],
  ];
  it.each([tf.Sum, tf.Mean, tf.Max, tf.Min])('%s over contiguous axes', async (kernel) => {
    for (const [shape, axis, keepDims] of cases) {
      const inputs = randomInputs({ x: shape }, 13);
      const attrs = kernel === tf.Max ? { reductionIndices: axis, keepDims } : { axis, keepDims };
      expect(await compare({ kernel, inputs, attrs }), `${shape} over ${axis}`).toBe('native');
    }
  });

  it('no axis (null) reduces every axis', async () => {
    for (const kernel of [tf.Sum, tf.Mean, tf.Max, tf.Min]) {
      const inputs = randomInputs({ x: [16, 2] }, 15);
      const attrs =
        kernel === tf.Max ? { reductionIndices: null, keepDims: false } : { axis: null, keepDims: false };
      expect(await compare({ kernel, inputs, attrs }), kernel).toBe('native');
    }
  });

  it('non-contiguous axes go to the cpu kernel', async () => {
    const inputs = randomInputs({ x: [4, 5, 6, 8] }, 17);
    expect(await compare({ kernel: tf.Sum, inputs, attrs: { axis: [0, 2], keepDims: false } })).toBe(
      'fallback',
    );
  });
});

describe('slice, pad, tile and transpose match the cpu backend', () => {
  it('Slice: strided boxes natively, one contiguous range as the cpu backend’s view', async () => {
    const cases: Array<[number[], number[], number[]]> = [
      [
        [4, 9, 9, 16],
        [0, 1, 1, 0],
        [4, 7, 7, 16],
      ],
      [
        [5, 6, 7],
        [1, 2, 3],
        [2, 3, 4],
      ],
      [
        [5, 6, 7],
        [1, 2, 3],
        [-1, -1, 2],
      ],
      [
        [16, 34, 34, 16],
        [0, 1, 1, 0],
        [16, 32, 32, 16],
      ],
    ];
    for (const [shape, begin, size] of cases) {
      const inputs = randomInputs({ x: shape }, 19);
      expect(await compare({ kernel: tf.Slice, inputs, attrs: { begin, size } }), `${shape}`).toBe('native');
    }
    const inputs = randomInputs({ x: [4, 5, 6] }, 19);
    expect(await compare({ kernel: tf.Slice, inputs, attrs: { begin: [1, 0, 0], size: [2, 5, 6] } })).toBe(
      'fallback',
    );
  });

  it('SplitV: every part equals the cpu backend’s exactly, on the channel axis and others, and a concat’s gradient too', async () => {
    const cases: Array<[number[], number[] | number, number]> = [
      [[4, 16, 16, 11], [1, 4, 4, 2], 3],
      [[2, 6, 5], 3, 1],
      [[3, 4, 5], [2, -1], 0],
      [[2, 3, 8], [0, 5, 3], 2],
    ];
    for (const [shape, splits, axis] of cases) {
      const x = randomInputs({ x: shape }, 23).x!;
      const parts: Array<Array<{ shape: number[]; data: number[] }>> = [];
      for (const backend of ['cpu', ONEDNN]) {
        await tf.setBackend(backend);
        resetKernelRoutes();
        const before = tf.memory().numTensors;
        const t = tf.tensor(x.data, x.shape);
        const out = tf.split(t, splits, axis);
        parts.push(out.map((o) => ({ shape: o.shape, data: Array.from(o.dataSync()) })));
        tf.dispose([t, ...out]);
        expect(tf.memory().numTensors).toBe(before);
        if (backend === ONEDNN) expect(kernelRoutes()[tf.SplitV]?.native, `${shape}`).toBe(1);
      }
      expect(parts[1], `${shape} split ${splits} on ${axis}`).toEqual(parts[0]);
    }
    // The backward of a channel concatenation is a SplitV.
    const grads: number[][][] = [];
    for (const backend of ['cpu', ONEDNN]) {
      await tf.setBackend(backend);
      const a = tf.tensor(values(2 * 5 * 5 * 3, 31), [2, 5, 5, 3]);
      const b = tf.tensor(values(2 * 5 * 5 * 2, 32), [2, 5, 5, 2]);
      const w = tf.tensor(values(2 * 5 * 5 * 5, 33), [2, 5, 5, 5]);
      const g = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.concat([p, q], 3), w)))([a, b]);
      grads.push(g.map((t) => Array.from(t.dataSync())));
      tf.dispose([a, b, w, ...g]);
    }
    expect(grads[1]).toEqual(grads[0]);
  });

  it('PadV2 with zeros and with another constant', async () => {
    const cases: Array<[number[], Array<[number, number]>, number]> = [
      [
        [2, 5, 5, 3],
        [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ],
        0,
      ],
      [
        [3, 4],
        [
          [1, 2],
          [0, 3],
        ],
        1.5,
      ],
      [
        [16, 28, 28, 16],
        [
          [0, 0],
          [3, 2],
          [2, 3],
          [0, 0],
        ],
        0,
      ],
    ];
    for (const [shape, paddings, constantValue] of cases) {
      const inputs = randomInputs({ x: shape }, 23);
      expect(await compare({ kernel: tf.PadV2, inputs, attrs: { paddings, constantValue } })).toBe('native');
    }
  });

  it('Tile', async () => {
    const cases: Array<[number[], number[]]> = [
      [
        [1, 1, 1, 8],
        [2, 3, 3, 1],
      ],
      [
        [2, 3],
        [2, 2],
      ],
      [
        [1, 1, 1, 64],
        [16, 28, 28, 1],
      ],
    ];
    for (const [shape, reps] of cases) {
      expect(
        await compare({ kernel: tf.Tile, inputs: randomInputs({ x: shape }, 29), attrs: { reps } }),
      ).toBe('native');
    }
  });

  it('Transpose', async () => {
    const cases: Array<[number[], number[]]> = [
      [
        [2, 3, 4, 5],
        [0, 3, 1, 2],
      ],
      [
        [2, 3, 4, 5],
        [3, 1, 2, 0],
      ],
      [
        [40, 30, 20],
        [2, 0, 1],
      ],
    ];
    for (const [shape, perm] of cases) {
      expect(
        await compare({ kernel: tf.Transpose, inputs: randomInputs({ x: shape }, 31), attrs: { perm } }),
      ).toBe('native');
    }
  });
});

describe('AddN and FusedBatchNorm match the cpu backend', () => {
  it('AddN of three tensors', async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const ts = [0, 1, 2].map((s) => tf.tensor(values(4 * 9 * 9 * 8, 40 + s), [4, 9, 9, 8]));
      const sum = tf.addN(ts);
      const data = sum.dataSync() as Float32Array;
      tf.dispose([sum, ...ts]);
      return data;
    };
    const want = await run('cpu');
    const got = await run(ONEDNN);
    expect(relativeError(got, want)).toBeLessThanOrEqual(TOLERANCE);
    expect(kernelRoutes()[tf.AddN]).toEqual({ native: 1, fallback: 0 });
  });

  it('FusedBatchNorm with and without offset and scale', async () => {
    const x = [4, 6, 6, 8];
    const full = randomInputs({ x, mean: [8], variance: [8], offset: [8], scale: [8] }, 43);
    const v = full.variance!.data;
    for (let i = 0; i < v.length; i++) v[i] = Math.abs(v[i]!) + 0.1;
    expect(await compare({ kernel: tf.FusedBatchNorm, inputs: full, attrs: { varianceEpsilon: 1e-3 } })).toBe(
      'native',
    );
    const { offset: _o, scale: _s, ...bare } = full;
    expect(await compare({ kernel: tf.FusedBatchNorm, inputs: bare, attrs: { varianceEpsilon: 1e-5 } })).toBe(
      'native',
    );
    // A mean per spatial position is not a per-channel vector: the cpu kernel takes it.
    const odd = randomInputs({ x: [2, 3, 4], mean: [12], variance: [12] }, 47);
    for (let i = 0; i < 12; i++) odd.variance!.data[i] = Math.abs(odd.variance!.data[i]!) + 0.1;
    expect(await compare({ kernel: tf.FusedBatchNorm, inputs: odd, attrs: { varianceEpsilon: 1e-3 } })).toBe(
      'fallback',
    );
  });
});

describe('MaxPool and MaxPoolGrad match the cpu backend', () => {
  const cases: Array<{ x: number[]; filterSize: number; strides: number; pad: 'same' | 'valid' | number }> = [
    { x: [2, 9, 9, 8], filterSize: 3, strides: 2, pad: 'valid' },
    { x: [2, 9, 9, 8], filterSize: 3, strides: 2, pad: 'same' },
    { x: [1, 8, 8, 40], filterSize: 2, strides: 2, pad: 'valid' },
    { x: [3, 7, 6, 5], filterSize: 3, strides: 1, pad: 'same' },
    { x: [2, 10, 10, 3], filterSize: 3, strides: 2, pad: 1 },
    { x: [16, 30, 30, 16], filterSize: 3, strides: 2, pad: 'valid' },
  ];
  it.each(cases.map((c) => [JSON.stringify(c), c] as const))('%s', async (_, c) => {
    const inputs = randomInputs({ x: c.x }, 53);
    // Values on a coarse grid make ties, where the first maximum in the window must win.
    const x = inputs.x!.data;
    for (let i = 0; i < x.length; i++) x[i] = Math.round(x[i]! * 2);
    // NaN never wins a window (in the 4-lane and the scalar channel paths alike).
    for (let i = 0; i < x.length; i += 7) x[i] = Number.NaN;
    const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
    expect(await compare({ kernel: tf.MaxPool, inputs, attrs })).toBe('native');
    const pooled = await runOn('cpu', { kernel: tf.MaxPool, inputs, attrs });
    const dy = randomInputs({ dy: pooled.shape }, 59).dy!;
    const gradInputs = { dy, input: inputs.x!, output: pooled };
    expect(await compare({ kernel: tf.MaxPoolGrad, inputs: gradInputs, attrs })).toBe('native');
  });
});

describe(`${ADAM_UPDATE} (fused Adam step)`, () => {
  /** @qad/trainer's chain of ops for one Adam step, on the cpu backend. */
  function chain(w: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, a: AdamUpdateAttrs): tf.Tensor[] {
    return tf.tidy(() => {
      const gi = a.l2Decay > 0 ? tf.add(g, tf.mul(w, a.l2Decay)) : g;
      const m1 = tf.add(tf.mul(m, a.beta1), tf.mul(gi, 1 - a.beta1));
      const v1 = tf.add(tf.mul(v, a.beta2), tf.mul(tf.square(gi), 1 - a.beta2));
      const denominator = tf.add(tf.sqrt(tf.div(v1, a.correction2)), a.epsilon);
      const update = tf.div(tf.mul(m1, a.lrOverCorrection1), denominator);
      const w0 = a.decoupledFactor !== 1 ? tf.mul(w, a.decoupledFactor) : w;
      return [tf.sub(w0, update), m1, v1];
    });
  }

  it.each([
    ['L2 decay', 0.01, 1],
    ['decoupled decay', 0, 1 - 0.003 * 0.05],
    ['no decay', 0, 1],
  ])('%s: the same bits as the chain of ops, large and small', async (_, l2Decay, decoupledFactor) => {
    const attrs: AdamUpdateAttrs = {
      beta1: 0.87,
      beta2: 0.999,
      lrOverCorrection1: 0.003 / (1 - 0.87 ** 3),
      correction2: 1 - 0.999 ** 3,
      epsilon: 1e-8,
      l2Decay,
      decoupledFactor,
    };
    for (const n of [5, 100_000]) {
      const inputs = randomInputs({ w: [n], g: [n], m: [n], v: [n] }, 61);
      const v = inputs.v!.data;
      for (let i = 0; i < n; i++) v[i] = Math.abs(v[i]!) * 1e-3;
      await tf.setBackend('cpu');
      const cpu = chain(
        ...(['w', 'g', 'm', 'v'].map((k) => tf.tensor(inputs[k]!.data)) as [
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
        ]),
        attrs,
      );
      const want = cpu.map((t) => t.dataSync() as Float32Array);
      tf.dispose(cpu);
      await tf.setBackend(ONEDNN);
      const before = tf.memory().numTensors;
      const ts = ['w', 'g', 'm', 'v'].map((k) => tf.tensor(inputs[k]!.data));
      const [wt, gt, mt, vt] = ts as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const out = tf
        .engine()
        .runKernel(
          ADAM_UPDATE,
          { w: wt, g: gt, m: mt, v: vt },
          attrs as unknown as tf.NamedAttrMap,
        ) as tf.Tensor[];
      out.forEach((t, i) => {
        expect(Array.from(t.dataSync()), `output ${i}, n ${n}`).toEqual(Array.from(want[i]!));
      });
      tf.dispose([...out, ...ts]);
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(kernelRoutes()[ADAM_UPDATE]).toEqual({ native: 2, fallback: 0 });
  });

  it('rejects operands of different shapes or dtypes', async () => {
    await tf.setBackend(ONEDNN);
    const attrs = {
      beta1: 0.9,
      beta2: 0.999,
      lrOverCorrection1: 1e-3,
      correction2: 1e-3,
      epsilon: 1e-8,
      l2Decay: 0,
      decoupledFactor: 1,
    };
    const ok = tf.ones([4]);
    const short = tf.ones([3]);
    const ints = tf.ones([4], 'int32');
    expect(() => tf.engine().runKernel(ADAM_UPDATE, { w: ok, g: short, m: ok, v: ok }, attrs)).toThrow(
      'QadAdamUpdate on onednn: g has shape [3], expected [4]',
    );
    expect(() => tf.engine().runKernel(ADAM_UPDATE, { w: ok, g: ok, m: ints, v: ok }, attrs)).toThrow(
      'QadAdamUpdate on onednn: m must be float32, got int32',
    );
    tf.dispose([ok, short, ints]);
  });
});

describe('fused training-mode batch norm (QadBatchNormTrainForward / Backward)', () => {
  /** @qad/backbones' chain of ops for the same forward and backward. */
  function chain(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, dy: tf.Tensor, eps: number): tf.Tensor[] {
    return tf.tidy(() => {
      const axes = [...Array(x.rank - 1).keys()];
      const mean = tf.mean(x, axes);
      const variance = tf.mean(tf.squaredDifference(x, mean), axes);
      const y = tf.batchNorm(x, mean, variance, b, g, eps);
      const count = x.size / mean.size;
      const xhat = tf.batchNorm(x, mean, variance, undefined, undefined, eps);
      const dBeta = tf.sum(dy, axes);
      const dGamma = tf.sum(tf.mul(dy, xhat), axes);
      const a = tf.mul(g, tf.rsqrt(tf.add(variance, eps)));
      const b2 = tf.mul(a, tf.div(dGamma, -count));
      const c = tf.mul(a, tf.div(dBeta, -count));
      const dx = tf.add(tf.mul(dy, a), tf.batchNorm(x, mean, variance, c, b2, eps));
      return [y, mean, variance, dx, dGamma, dBeta];
    });
  }

  function fused(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, dy: tf.Tensor, eps: number): tf.Tensor[] {
    const engine = tf.engine();
    const [y, mean, variance] = engine.runKernel(
      BATCH_NORM_TRAIN_FORWARD,
      { x, gamma: g, beta: b },
      {
        epsilon: eps,
      },
    ) as tf.Tensor[];
    const grads = engine.runKernel(
      BATCH_NORM_TRAIN_BACKWARD,
      { dy, x, mean: mean!, variance: variance!, gamma: g },
      { epsilon: eps },
    ) as tf.Tensor[];
    return [y!, mean!, variance!, ...grads];
  }

  it.each([
    [[4, 6, 6, 8], 1e-5],
    [[16, 28, 28, 32], 1e-3],
    [[300, 3], 1e-5],
  ])(
    'x %j, ε %s: the same bits as the chain of ops on onednn, and ≤ 1e-4 from the cpu backend',
    async (shape, eps) => {
      const c = shape.at(-1)!;
      const inputs = randomInputs({ x: shape, gamma: [c], beta: [c], dy: shape }, 71);
      // An offset, spread-out x, as after a convolution.
      for (let i = 0; i < inputs.x!.data.length; i++) inputs.x!.data[i] = inputs.x!.data[i]! * 3 + 1.5;
      const make = () =>
        ['x', 'gamma', 'beta', 'dy'].map((k) => tf.tensor(inputs[k]!.data, inputs[k]!.shape));
      await tf.setBackend('cpu');
      const cpuTensors = make();
      const cpu = chain(...(cpuTensors as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]), eps);
      const want = cpu.map((t) => t.dataSync() as Float32Array);
      tf.dispose([...cpu, ...cpuTensors]);
      await tf.setBackend(ONEDNN);
      const before = tf.memory().numTensors;
      const ts = make() as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const viaChain = chain(...ts, eps);
      const viaKernels = fused(...ts, eps);
      const names = ['y', 'mean', 'variance', 'dx', 'dGamma', 'dBeta'];
      viaKernels.forEach((t, i) => {
        expect(t.shape, names[i]).toEqual(viaChain[i]!.shape);
        expect(Array.from(t.dataSync()), names[i]).toEqual(Array.from(viaChain[i]!.dataSync()));
        expect(relativeError(t.dataSync(), want[i]!), names[i]).toBeLessThanOrEqual(TOLERANCE);
      });
      tf.dispose([...viaChain, ...viaKernels, ...ts]);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('rejects a gamma that does not match the channels, and non-float32 inputs', async () => {
    await tf.setBackend(ONEDNN);
    const x = tf.ones([2, 3, 4]);
    const g5 = tf.ones([5]);
    const g4 = tf.ones([4]);
    const ints = tf.ones([4], 'int32');
    expect(() =>
      tf.engine().runKernel(BATCH_NORM_TRAIN_FORWARD, { x, gamma: g5, beta: g5 }, { epsilon: 1e-3 }),
    ).toThrow(
      'QadBatchNormTrainForward on onednn: x has shape [2, 3, 4], expected rank ≥ 2 with 5 channels last',
    );
    expect(() =>
      tf.engine().runKernel(BATCH_NORM_TRAIN_FORWARD, { x, gamma: g4, beta: ints }, { epsilon: 1e-3 }),
    ).toThrow('QadBatchNormTrainForward on onednn: beta must be float32, got int32');
    tf.dispose([x, g5, g4, ints]);
  });
});

describe('ReLU gradient (QadReluGrad)', () => {
  it('matches tfjs’s dy · step(x) on the cpu backend, NaN and zeros included, in one native pass', async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const x = tf.tensor(values(16 * 9 * 9 * 8, 81), [16, 9, 9, 8]);
      // Past 4 values so that both the 4-lane path and the scalar tail see every special case.
      const special = tf.tensor1d([
        Number.NaN,
        0,
        -0,
        2,
        -3,
        Number.POSITIVE_INFINITY,
        Number.NaN,
        0,
        -0,
        5,
        -1,
      ]);
      const out = tf.tidy(() => {
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), tf.scalar(3))));
        return [
          g(x),
          tf.grad((t: tf.Tensor) =>
            // dy = these weights: ∞ and NaN meet x ≤ 0 too (∞ · 0 = NaN in tfjs's formula).
            tf.sum(
              tf.mul(
                tf.relu(t),
                tf.tensor1d([
                  1,
                  Number.POSITIVE_INFINITY,
                  2,
                  Number.NaN,
                  -1,
                  3,
                  1,
                  -2,
                  4,
                  1,
                  Number.POSITIVE_INFINITY,
                ]),
              ),
            ),
          )(special),
        ].map((t) => t.dataSync() as Float32Array);
      });
      tf.dispose([x, special]);
      return out;
    };
    const want = await run('cpu');
    resetKernelRoutes();
    const got = await run(ONEDNN);
    expect(Array.from(got[0]!)).toEqual(Array.from(want[0]!));
    expect(Array.from(got[1]!)).toEqual(Array.from(want[1]!));
    expect(kernelRoutes()[RELU_GRAD]).toEqual({ native: 2, fallback: 0 });
    expect(kernelRoutes()[tf.Step]).toBeUndefined();
  });
});

/** The addon's codes of swish and its gradient (as in src/kernels/swish.ts). */
const SWISH_UNARY_OP = 15;
const SWISH_GRAD_BINARY_OP = 8;

describe('eight-lane AVX2 paths (Exp, Sigmoid, Swish, swish gradient)', () => {
  it('run where /proc/cpuinfo lists avx2 and the ISA cap allows it, and give the same bits as the four-lane path, specials included', () => {
    const cpuHasAvx2 = /\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
    const capBelowAvx2 = ['sse41', 'avx'].includes(addon.cpuIsa());
    expect(addon.wideVectors(true)).toBe(cpuHasAvx2 && !capBelowAvx2);
    // Past the threading threshold, not a multiple of 8 (the four-lane and scalar tails run too).
    const n = 70_003;
    const x = values(n, 91).map((v) => v * 12);
    const specials = [
      Number.NaN,
      100,
      -100,
      -0,
      0,
      88.7,
      -87.4,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ];
    specials.forEach((v, i) => {
      x[i * 997] = v;
      x[n - 1 - i] = v;
    });
    const dy = values(n, 92);
    const runs: Array<[string, (out: Float32Array) => void]> = [
      ['Exp', (out) => addon.unary(UNARY_OPS[tf.Exp], x, out, 0)],
      ['Sigmoid', (out) => addon.unary(UNARY_OPS[tf.Sigmoid], x, out, 0)],
      ['Swish', (out) => addon.unary(SWISH_UNARY_OP, x, out, 0)],
      ['SwishGrad', (out) => addon.binary(SWISH_GRAD_BINARY_OP, dy, [n], x, [n], out)],
    ];
    try {
      for (const [name, run] of runs) {
        const wide = new Float32Array(n);
        const narrow = new Float32Array(n);
        addon.wideVectors(true);
        run(wide);
        addon.wideVectors(false);
        run(narrow);
        const differs = wide.findIndex((v, i) => !Object.is(v, narrow[i]));
        expect(differs, `${name} differs at ${differs}`).toBe(-1);
      }
    } finally {
      addon.wideVectors(true);
    }
  });
});

describe('swish (QadSwish / QadSwishGrad)', () => {
  it('match x·σ(x) and its gradient by the chain of ops on the cpu backend (≤ 1e-4), in one pass each', async () => {
    const shape = [16, 14, 14, 24];
    const inputs = randomInputs({ x: shape, dy: shape }, 91);
    for (let i = 0; i < inputs.x!.data.length; i++) inputs.x!.data[i] = inputs.x!.data[i]! * 8;
    await tf.setBackend('cpu');
    const want = tf.tidy(() => {
      const x = tf.tensor(inputs.x!.data, shape);
      const dy = tf.tensor(inputs.dy!.data, shape);
      const s = tf.sigmoid(x);
      return [tf.mul(s, x), tf.mul(dy, tf.mul(s, tf.add(1, tf.mul(x, tf.sub(1, s)))))].map(
        (t) => t.dataSync() as Float32Array,
      );
    });
    await tf.setBackend(ONEDNN);
    resetKernelRoutes();
    const before = tf.memory().numTensors;
    const x = tf.tensor(inputs.x!.data, shape);
    const dy = tf.tensor(inputs.dy!.data, shape);
    const y = tf.engine().runKernel(SWISH, { x }) as tf.Tensor;
    const dx = tf.engine().runKernel(SWISH_GRAD, { dy, x }) as tf.Tensor;
    expect(relativeError(y.dataSync(), want[0]!)).toBeLessThanOrEqual(TOLERANCE);
    expect(relativeError(dx.dataSync(), want[1]!)).toBeLessThanOrEqual(TOLERANCE);
    tf.dispose([x, dy, y, dx]);
    expect(tf.memory().numTensors).toBe(before);
    expect(kernelRoutes()[SWISH]).toEqual({ native: 1, fallback: 0 });
    expect(kernelRoutes()[SWISH_GRAD]).toEqual({ native: 1, fallback: 0 });
  });
});

describe('the SSE2 exp paths', () => {
  it('give the same bits as the scalar path that handles array tails (Exp, Sigmoid, Swish, its gradient)', () => {
    // Codes of the addon: unary 6 Exp, 8 Sigmoid, 15 Swish; binary 8 the swish gradient.
    const xs = new Float32Array([-100, -87.4, -20, -1.5, -0, 0, 0.3, 7, 40, 88.7, 89, Number.NaN]);
    const dy = new Float32Array(xs.length).fill(0.75);
    for (const op of [6, 8, 15]) {
      const bulk = new Float32Array(xs.length);
      addon.unary(op, xs, bulk, 0);
      xs.forEach((v, i) => {
        const one = new Float32Array(1);
        addon.unary(op, new Float32Array([v]), one, 0);
        expect(Object.is(bulk[i], one[0]) || bulk[i] === one[0], `op ${op} at ${v}`).toBe(true);
      });
    }
    const bulk = new Float32Array(xs.length);
    addon.binary(8, dy, [xs.length], xs, [xs.length], bulk);
    xs.forEach((v, i) => {
      const one = new Float32Array(1);
      addon.binary(8, new Float32Array([0.75]), [1], new Float32Array([v]), [1], one);
      expect(Object.is(bulk[i], one[0]) || bulk[i] === one[0], `swish gradient at ${v}`).toBe(true);
    });
  });
});
