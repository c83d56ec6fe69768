import { describe, expect, it } from 'vitest';
import { Rng } from '../src';

describe('Rng', () => {
  it('is mulberry32: the same seed gives the same stream, and known first values', () => {
    // mulberry32 computed by hand from its definition for seed 0: t = 0x6d2b79f5, ...
    const reference = (seed: number, n: number) => {
      let s = seed >>> 0;
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        s = (s + 0x6d2b79f5) >>> 0;
        let t = BigInt(s);
        const mul = (a: bigint, b: bigint) => (a * b) & 0xffffffffn;
        t = mul(t ^ (t >> 15n), t | 1n);
        t = (t ^ ((t + mul(t ^ (t >> 7n), t | 61n)) & 0xffffffffn)) & 0xffffffffn;
        out.push(Number((t ^ (t >> 14n)) & 0xffffffffn) / 4294967296);
      }
      return out;
    };
    const a = new Rng(7);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(reference(7, 5));
    const b = new Rng(7);
    expect(b.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(() => new Rng(Number.NaN)).toThrow('Rng: seed must be a finite number');
  });

  it('resumes the exact stream from its saved state', () => {
    const r = new Rng(11);
    r.next();
    const saved = r.state;
    const next = [r.next(), r.next()];
    const resumed = new Rng(0);
    resumed.state = saved;
    expect([resumed.next(), resumed.next()]).toEqual(next);
  });

  it('draws integers in the closed range', () => {
    const r = new Rng(3);
    const seen = new Set(Array.from({ length: 200 }, () => r.int(2, 4)));
    expect([...seen].sort()).toEqual([2, 3, 4]);
  });
});
