import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BufferPool, DEFAULT_BUFFER_POOL_MIB, type MathBackendOnednn, registerOnednnBackend } from '../src';
import { ONEDNN, values } from './helpers';

describe('BufferPool', () => {
  it('hands a released array back for the same length, and only for it', () => {
    const pool = new BufferPool(1 << 20);
    const a = pool.take(100);
    pool.adopt(a);
    pool.release(a);
    expect(pool.take(99)).not.toBe(a);
    expect(pool.take(100)).toBe(a);
    expect(pool.stats()).toMatchObject({ hits: 1, misses: 2, freeBytes: 0 });
  });

  it('never recycles an array that was read, shared by two tensors, a view, never adopted, or not its own', () => {
    const pool = new BufferPool(1 << 20);
    // A length per case, so that one case's array cannot come back as another's.
    const read = pool.take(8);
    pool.adopt(read);
    pool.escape(read);
    pool.release(read);
    const twice = pool.take(9);
    pool.adopt(twice);
    pool.adopt(twice);
    pool.release(twice);
    const viewed = pool.take(10);
    pool.adopt(viewed);
    pool.adopt(viewed.subarray(2, 6));
    pool.release(viewed);
    const unadopted = pool.take(11);
    pool.release(unadopted);
    const foreign = new Float32Array(12);
    pool.adopt(foreign);
    pool.release(foreign);
    expect(pool.stats()).toMatchObject({ freeBytes: 0, hits: 0 });
    for (const old of [read, twice, viewed, unadopted, foreign]) expect(pool.take(old.length)).not.toBe(old);
  });

  it('drops the least recently freed arrays to stay within its capacity', () => {
    const pool = new BufferPool(3 * 400);
    const arrays = [pool.take(100), pool.take(100), pool.take(50), pool.take(100)];
    for (const a of arrays) {
      pool.adopt(a);
      pool.release(a);
    }
    // 400 + 400 + 200 + 400 bytes freed into 1,200: the first 100-float array made room for the last.
    expect(pool.stats().freeBytes).toBe(1000);
    expect(pool.take(100)).toBe(arrays[3]);
    expect(pool.take(100)).toBe(arrays[1]);
    expect(pool.take(50)).toBe(arrays[2]);
    expect(pool.take(100)).not.toBe(arrays[0]);
  });

  it('keeps nothing at capacity 0, zero-fills recycled arrays on request, and rejects a bad capacity', () => {
    const off = new BufferPool(0);
    const a = off.take(4);
    off.adopt(a);
    off.release(a);
    expect(off.take(4)).not.toBe(a);
    const pool = new BufferPool(1024);
    const dirty = pool.take(4);
    dirty.fill(7);
    pool.adopt(dirty);
    pool.release(dirty);
    const zeroed = pool.takeZeroed(4);
    expect(zeroed).toBe(dirty);
    expect(Array.from(zeroed)).toEqual([0, 0, 0, 0]);
    expect(() => new BufferPool(-1)).toThrow('BufferPool: capacity must be a non-negative number of bytes');
  });
});

describe('the backend’s pool capacity', () => {
  it('is bufferPoolMiB when given, else a quarter of the memory up to 8 GiB', () => {
    const name = registerOnednnBackend({ name: 'onednn-pool-1mib', bufferPoolMiB: 1 });
    expect((tf.findBackend(name) as MathBackendOnednn).bufferPool.capacityBytes).toBe(2 ** 20);
    expect((tf.findBackend(ONEDNN) as MathBackendOnednn).bufferPool.capacityBytes).toBe(
      DEFAULT_BUFFER_POOL_MIB * 2 ** 20,
    );
    expect(DEFAULT_BUFFER_POOL_MIB).toBe(Math.min(8192, Math.floor(os.totalmem() / 4 / 2 ** 20)));
    tf.removeBackend(name);
    expect(() => registerOnednnBackend({ name: 'onednn-pool-bad', bufferPoolMiB: -1 })).toThrow(
      '@qad/backend-onednn: bufferPoolMiB must be a number ≥ 0, got -1',
    );
  });
});

describe('the onednn backend recycles kernel outputs safely', () => {
  let pool: BufferPool;
  beforeEach(async () => {
    await tf.setBackend(ONEDNN);
    pool = (tf.backend() as MathBackendOnednn).bufferPool;
    pool.clear();
    pool.resetStats();
  });
  afterEach(() => pool.clear());

  const x = () => tf.tensor(values(4 * 1000, 3), [4, 1000]);

  it('a disposed output becomes the next output of that size, and results stay right', () => {
    const input = x();
    const before = tf.memory().numTensors;
    tf.dispose(tf.relu(input));
    const second = tf.neg(input);
    expect(pool.stats().hits).toBe(1);
    const want = Array.from(input.dataSync(), (v) => -v);
    expect(Array.from(second.dataSync())).toEqual(want);
    tf.dispose([input, second]);
    expect(tf.memory().numTensors).toBe(before - 1);
  });

  it('an array returned by dataSync is never overwritten after its tensor is disposed', () => {
    const input = x();
    const a = tf.relu(input);
    const seen = a.dataSync();
    const copy = Float32Array.from(seen);
    a.dispose();
    const b = tf.neg(input);
    expect(Array.from(seen)).toEqual(Array.from(copy));
    expect(pool.stats().hits).toBe(0);
    tf.dispose([input, b]);
  });

  it('a reshape keeps the storage alive until its last reference goes', () => {
    const input = x();
    const a = tf.relu(input);
    const r = a.reshape([1000, 4]);
    a.dispose();
    const b = tf.neg(input);
    expect(pool.stats().hits).toBe(0);
    r.dispose();
    const c = tf.neg(input);
    expect(pool.stats().hits).toBe(1);
    expect(Array.from(b.dataSync())).toEqual(Array.from(c.dataSync()));
    tf.dispose([input, b, c]);
  });

  it('views a cpu kernel makes of an output (unstack → slice → subarray) keep their values', () => {
    const input = x();
    // Expected rows from the input (reading the rows themselves would protect their storage by itself).
    const flat = input.dataSync();
    const want = [0, 1, 2, 3].map((r) =>
      Array.from(flat.subarray(r * 1000, (r + 1) * 1000), (v) => Math.max(v, 0)),
    );
    const a = tf.relu(input);
    const rows = tf.unstack(a);
    a.dispose();
    tf.dispose(tf.neg(input));
    tf.dispose(tf.neg(input));
    rows.forEach((t, i) => {
      expect(Array.from(t.dataSync())).toEqual(want[i]);
    });
    tf.dispose([input, ...rows]);
  });
});
