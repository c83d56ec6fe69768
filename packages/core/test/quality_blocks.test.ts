import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  checkNumQualities,
  QAD_QUALITIES,
  qualityBlockRows,
  RANDOM_JPEG_QUALITY,
  splitQualityBlocks,
} from '../src';

describe('M-block layout', () => {
  it('splits each tap into M consecutive blocks of B rows, in order', () => {
    // M = 3 blocks of B = 2 rows: row r holds the value r.
    const z = tf.tensor2d([0, 1, 2, 3, 4, 5], [6, 1]);
    const w = tf.tensor4d(
      [...Array(6).keys()].flatMap((r) => [r, -r]),
      [6, 1, 1, 2],
    );
    const before = tf.memory().numTensors;
    const blocks = splitQualityBlocks({ a: z, b: w }, 3);
    expect(blocks).toHaveLength(3);
    blocks.forEach((block, m) => {
      expect(Array.from(block.a!.dataSync())).toEqual([2 * m, 2 * m + 1]);
      expect(block.b!.shape).toEqual([2, 1, 1, 2]);
      expect(Array.from(block.b!.dataSync())).toEqual([2 * m, -2 * m, 2 * m + 1, -(2 * m + 1)]);
    });
    // Exactly the 2 × 3 new tensors, which the caller owns.
    expect(tf.memory().numTensors - before).toBe(6);
    tf.dispose(blocks.flatMap((b) => Object.values(b)));
    tf.dispose([z, w]);
  });

  it('names the tap and M when the batch is not M blocks', () => {
    const z = tf.zeros([5, 2]);
    expect(() => splitQualityBlocks({ layer1: z }, 2)).toThrow(
      "Argument 'features.layer1' passed to 'splitQualityBlocks' has 5 rows, which is not a positive multiple of M = 2",
    );
    expect(() => splitQualityBlocks({ layer1: z }, 1)).toThrow(
      "Argument 'numQualities' passed to 'splitQualityBlocks' must be an integer >= 2",
    );
    z.dispose();
  });

  it('qualityBlockRows returns B and checks M', () => {
    expect(qualityBlockRows(12, 4, 'op', 'logits')).toBe(3);
    expect(() => qualityBlockRows(0, 4, 'op', 'logits')).toThrow("'logits' passed to 'op' has 0 rows");
    expect(() => checkNumQualities(2.5, 'f')).toThrow("'numQualities' passed to 'f' must be an integer >= 2");
    expect(checkNumQualities(1, 'f', 1)).toBe(1);
  });

  it('QAD trains on the FF++ qualities plus random JPEG', () => {
    expect(QAD_QUALITIES).toEqual(['raw', 'c23', 'c40', RANDOM_JPEG_QUALITY]);
    expect(RANDOM_JPEG_QUALITY).toBe('jpeg');
  });
});
