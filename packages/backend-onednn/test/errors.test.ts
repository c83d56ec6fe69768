import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOnednnAddon, ONEDNN_FIX, OnednnUnavailableError } from '../src';
import { addon, ONEDNN } from './helpers';

describe('loading the addon', () => {
  const dir = mkdtempSync(join(tmpdir(), 'onednn-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the missing file and the command that builds it', () => {
    const missing = join(dir, 'missing.node');
    expect(() => loadOnednnAddon(missing)).toThrow(OnednnUnavailableError);
    expect(() => loadOnednnAddon(missing)).toThrow(
      `${missing} does not exist). Build it with: ${ONEDNN_FIX}`,
    );
  });

  it('reports a file that is not a loadable addon, with the rebuild command', () => {
    const bogus = join(dir, 'bogus.node');
    writeFileSync(bogus, 'not an ELF file');
    expect(() => loadOnednnAddon(bogus)).toThrow(new RegExp(`cannot load ${bogus}: .*Rebuild it`));
  });
});

describe('bad kernel inputs give JS errors on the onednn backend', () => {
  beforeAll(async () => {
    await tf.setBackend(ONEDNN);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  function expectKernelError(
    kernel: string,
    inputs: Record<string, number[]>,
    attrs: object,
    message: string,
  ) {
    const before = tf.memory().numTensors;
    const tensors: Record<string, tf.Tensor> = {};
    for (const [name, shape] of Object.entries(inputs)) tensors[name] = tf.ones(shape);
    expect(() => tf.engine().runKernel(kernel, tensors, attrs as tf.NamedAttrMap)).toThrow(message);
    tf.dispose(Object.values(tensors));
    expect(tf.memory().numTensors).toBe(before);
  }

  it('Conv2D with a filter for the wrong number of channels', () => {
    expectKernelError(
      tf.Conv2D,
      { x: [1, 5, 5, 3], filter: [3, 3, 4, 8] },
      { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 },
      'Conv2D on onednn: filter in-channels and input channels (4 vs 3) must match',
    );
  });

  it('Conv2D with a rank-3 input', () => {
    expectKernelError(
      tf.Conv2D,
      { x: [5, 5, 3], filter: [3, 3, 3, 8] },
      { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 },
      'Conv2D on onednn: x must be rank 4, got shape [5, 5, 3]',
    );
  });

  it('Conv2DBackpropInput with a gradient of the wrong shape', () => {
    expectKernelError(
      tf.Conv2DBackpropInput,
      { dy: [1, 4, 4, 8], filter: [3, 3, 3, 8] },
      { inputShape: [1, 5, 5, 3], strides: 1, pad: 'same', dataFormat: 'NHWC' },
      'Conv2DBackpropInput on onednn: dy has shape [1, 4, 4, 8], expected [1, 5, 5, 8]',
    );
  });

  it('BatchMatMul with mismatched inner dimensions', () => {
    expectKernelError(
      tf.BatchMatMul,
      { a: [2, 3], b: [4, 5] },
      { transposeA: false, transposeB: false },
      'BatchMatMul on onednn: inner dimensions of [2,3] and [4,5] (3 vs 4) must match',
    );
  });
});

describe('the addon checks its arguments instead of reading out of bounds', () => {
  const params = [1, 3, 3, 1, 2, 2, 1, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0, 1];
  const x = new Float32Array(9);
  const w = new Float32Array(4);

  it.each([
    [
      'a short input',
      () => addon.conv2dForward(new Float32Array(3), w, null, new Float32Array(4), params, 0, 0),
      'x has 3 elements, expected 9',
    ],
    [
      'a Float64Array',
      () =>
        addon.conv2dForward(
          new Float64Array(9) as unknown as Float32Array,
          w,
          null,
          new Float32Array(4),
          params,
          0,
          0,
        ),
      'x must be a Float32Array',
    ],
    [
      'a short output',
      () => addon.conv2dBackwardData(new Float32Array(4), w, new Float32Array(8), params),
      'out has 8 elements, expected 9',
    ],
    [
      'too few parameters',
      () => addon.conv2dBackwardWeights(x, new Float32Array(4), w, params.slice(1)),
      'params must have 18 entries, got 17',
    ],
    [
      'a fractional parameter',
      () => addon.conv2dForward(x, w, null, new Float32Array(4), [1.5, ...params.slice(1)], 0, 0),
      'params[0] is not an integer',
    ],
    [
      'an inconsistent output size',
      () =>
        addon.conv2dForward(
          x,
          w,
          null,
          new Float32Array(9),
          [1, 3, 3, 1, 3, 3, 1, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0, 1],
          0,
          0,
        ),
      'convolution output size does not match',
    ],
    [
      'an unknown activation',
      () => addon.conv2dForward(x, w, null, new Float32Array(4), params, 9, 0),
      'unknown activation code 9',
    ],
    [
      'matmul batches 2 and 3',
      () =>
        addon.matMul(
          new Float32Array(8),
          new Float32Array(12),
          null,
          new Float32Array(12),
          [2, 3, 2, 2, 2, 0, 0],
          0,
          0,
        ),
      'matmul batches must match or one of them must be 1',
    ],
    [
      'a matmul bias of the wrong length',
      () =>
        addon.matMul(
          new Float32Array(4),
          new Float32Array(6),
          new Float32Array(2),
          new Float32Array(6),
          [1, 1, 2, 2, 3, 0, 0],
          0,
          0,
        ),
      'bias has 2 elements, expected 3',
    ],
    [
      'too few arguments',
      () => (addon.matMul as unknown as (...a: unknown[]) => void)(new Float32Array(4)),
      'expected 7 arguments, got 1',
    ],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(message);
  });

  it('still computes correctly after rejecting bad calls (hand-computed 2×2 case)', () => {
    const out = new Float32Array(4);
    addon.conv2dForward(
      new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]),
      new Float32Array([1, 0, 0, 1]),
      null,
      out,
      params,
      0,
      0,
    );
    // Each output is its window's top-left plus bottom-right value.
    expect(Array.from(out)).toEqual([1 + 5, 2 + 6, 4 + 8, 5 + 9]);
  });
});

describe('the native loops check their arguments too', () => {
  const f = (n: number) => new Float32Array(n);
  it.each([
    [
      'shapes that do not broadcast',
      () => addon.binary(0, f(6), [2, 3], f(8), [2, 4], f(6)),
      'shapes [2, 3] [2, 4] cannot be broadcast together',
    ],
    [
      'a binary output of the wrong size',
      () => addon.binary(2, f(6), [2, 3], f(3), [3], f(5)),
      'out has 5 elements, expected 6',
    ],
    [
      'an operand shorter than its shape',
      () => addon.binary(1, f(5), [2, 3], f(3), [3], f(6)),
      'a has 5 elements, expected 6',
    ],
    ['an unknown binary op', () => addon.binary(42, f(1), [], f(1), [], f(1)), 'unknown binary op 42'],
    ['an unknown unary op', () => addon.unary(-1, f(2), f(2), 0), 'unknown unary op -1'],
    [
      'a unary output of the wrong size',
      () => addon.unary(0, f(4), f(3), 0),
      'out has 3 elements, expected 4',
    ],
    [
      'a slice past the end',
      () => addon.slice(f(12), [3, 4], [1, 2], [2, 3], f(6)),
      'slice [2, +3) is out of bounds of axis 1 (size 4)',
    ],
    ['negative padding', () => addon.pad(f(4), [4], [-1], [0], 0, f(3)), 'negative padding is not supported'],
    [
      'a transpose that is not a permutation',
      () => addon.transpose(f(6), [2, 3], [0, 0], f(6)),
      'perm is not a permutation',
    ],
    [
      'reduction sizes that do not fit x',
      () => addon.reduce(0, f(10), f(2), [2, 4, 1]),
      'x has 10 elements, expected 8',
    ],
    [
      'a zero-sized reduction',
      () => addon.reduce(1, f(0), f(0), [1, 0, 1]),
      'reduction sizes must be positive',
    ],
    [
      'a pooling input of the wrong size',
      () => addon.maxPool(f(10), f(4), [1, 3, 3, 1, 2, 2, 2, 2, 1, 1, 0, 0]),
      'x has 10 elements, expected 9',
    ],
    [
      'a zero pooling stride',
      () => addon.maxPoolGrad(f(4), f(9), f(9), [1, 3, 3, 1, 2, 2, 2, 2, 0, 1, 0, 0]),
      'pooling sizes and strides must be positive',
    ],
    [
      'batch-norm parameters of the wrong length',
      () => addon.batchNormApply(f(12), f(3), f(2), null, null, f(12), 1e-3),
      'variance has 2 values, expected 1 or 3',
    ],
    [
      'addN inputs of different sizes',
      () => addon.addN([f(4), f(3)], f(4)),
      'every input has 3 elements, expected 4',
    ],
    ['an empty addN', () => addon.addN([], f(4)), 'addN needs at least one input'],
    [
      'a shape with too many axes',
      () => addon.slice(f(1), Array(17).fill(1), Array(17).fill(0), Array(17).fill(1), f(1)),
      'xShape has 17 entries, at most 16 are supported',
    ],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(message);
  });

  it('hand-computed cases: a broadcast subtraction, a per-channel sum and a 2×2 max-pool gradient', () => {
    const diff = f(6);
    addon.binary(1, new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], new Float32Array([1, 10, 100]), [3], diff);
    expect(Array.from(diff)).toEqual([0, -8, -97, 3, -5, -94]);
    const sums = f(3);
    addon.reduce(0, new Float32Array([1, 2, 3, 4, 5, 6]), sums, [1, 2, 3]);
    expect(Array.from(sums)).toEqual([5, 7, 9]);
    // 3×3 input, 2×2 windows with stride 1: the centre (9) is every window's maximum and collects all four gradients.
    const dx = f(9);
    addon.maxPoolGrad(
      new Float32Array([1, 2, 3, 4]),
      new Float32Array([1, 2, 3, 4, 9, 5, 6, 7, 8]),
      dx,
      [1, 3, 3, 1, 2, 2, 2, 2, 1, 1, 0, 0],
    );
    expect(Array.from(dx)).toEqual([0, 0, 0, 0, 10, 0, 0, 0, 0]);
  });
});
