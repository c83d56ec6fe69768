import { describe, expect, it } from 'vitest';
import { presetFor } from '../src/presets';

describe('presetFor: the comparison detectors get their authors’ recipes', () => {
  it('MesoNet (Afchar et al. 2018): Adam lr 1e-3, batch 75, 256 px, no weight decay, under either preset', () => {
    for (const name of ['meso4', 'mesoinception4']) {
      for (const preset of ['authors', 'paper'] as const) {
        expect(presetFor(name, preset)).toMatchObject({
          inputSize: 256,
          batchPerQuality: 75,
          learningRate: 1e-3,
          weightDecay: 0,
        });
      }
    }
  });

  it('Xception as FaceForensics++ trains it: Adam lr 2e-4, batch 32, 299 px, 3 + 15 epochs', () => {
    expect(presetFor('xception')).toMatchObject({
      inputSize: 299,
      batchPerQuality: 32,
      learningRate: 2e-4,
      epochs: 18,
      weightDecay: 0,
    });
    expect(presetFor('xception', 'paper')).toEqual(presetFor('xception'));
  });

  it('each EfficientNet at its own default input size', () => {
    expect(
      ['efficientnet_b0', 'efficientnet_b1', 'efficientnet_b4'].map((b) => presetFor(b).inputSize),
    ).toEqual([224, 240, 380]);
  });

  it('returns a copy, and rejects an unknown preset for every backbone', () => {
    const a = presetFor('meso4');
    a.learningRate = 1;
    expect(presetFor('meso4').learningRate).toBe(1e-3);
    expect(() => presetFor('xception', 'fast' as never)).toThrow(/Unknown preset 'fast'/);
    expect(() => presetFor('resnet50', 'fast' as never)).toThrow(/Unknown preset 'fast'/);
  });
});
