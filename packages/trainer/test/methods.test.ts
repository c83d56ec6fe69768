import { describe, expect, it } from 'vitest';
import { resolveMethod } from '../src/methods';

describe('resolveMethod', () => {
  it('knows the paper methods and composes <collaborative>+<awp>', () => {
    expect(resolveMethod('qad')).toMatchObject({ collaborative: 'hsic', awp: 'xe', perQuality: false });
    expect(resolveMethod('CE')).toMatchObject({ collaborative: 'none', awp: 'none' });
    expect(resolveMethod('quality-aware').perQuality).toBe(true);
    expect(resolveMethod('center+awp-kl')).toMatchObject({ collaborative: 'center', awp: 'kl' });
    expect(resolveMethod('awp-kl')).toMatchObject({ collaborative: 'none', awp: 'kl' });
  });

  it('names the unknown part', () => {
    expect(() => resolveMethod('hsic+mixup')).toThrow(
      /Unknown or repeated method part 'mixup' in method 'hsic\+mixup'/,
    );
    expect(() => resolveMethod('hsic+pairwise')).toThrow(/part 'pairwise'/);
  });
});
