import { describe, expect, it } from 'vitest';
import { type BackboneName, createBackbone, listBackbones } from '../src';

// Published torchvision counts minus the 1000-class head, in millions, to the precision the brief reports.
const PARAMS_M: Record<BackboneName, number> = {
  resnet18: 11.18,
  resnet34: 21.28,
  resnet50: 23.51,
  efficientnet_b0: 4.01,
  efficientnet_b1: 6.51,
};
const INPUT: Record<BackboneName, number> = {
  resnet18: 224,
  resnet34: 224,
  resnet50: 224,
  efficientnet_b0: 224,
  efficientnet_b1: 240,
};
// torchvision's documented GFLOPS (multiply-adds) with the 1000-class head, minus that head's 2.05M / 1.28M.
const GMACS: Record<BackboneName, number> = {
  resnet18: 1.81,
  resnet34: 3.66,
  resnet50: 4.09,
  efficientnet_b0: 0.39,
  efficientnet_b1: 0.69,
};

describe('registry', () => {
  it('lists the five architectures with their default sizes and taps', () => {
    const list = listBackbones();
    expect(list.map((b) => b.name)).toEqual(Object.keys(PARAMS_M));
    for (const b of list) {
      expect(b.inputSize).toBe(INPUT[b.name]);
      expect(Object.values(b.defaultTaps)).toEqual([0.1, 0.25, 0.5]);
    }
    expect(list[0]!.defaultTaps).toEqual({ layer1: 0.1, layer2: 0.25, layer3: 0.5 });
    expect(list[3]!.defaultTaps).toEqual({ 'features.2': 0.1, 'features.3': 0.25, 'features.5': 0.5 });
  });

  for (const name of Object.keys(PARAMS_M) as BackboneName[]) {
    it(`${name}: parameters without head ${PARAMS_M[name]}M, MACs, default taps`, () => {
      const net = createBackbone(name);
      const s = net.summary();
      expect(Number((s.backboneParams / 1e6).toFixed(2))).toBe(PARAMS_M[name]);
      expect(s.backboneParams).toBe(net.info.params);
      // 2-class head: (features + 1) · 2 parameters.
      const features = name.startsWith('efficientnet') ? 1280 : name === 'resnet50' ? 2048 : 512;
      expect(s.params - s.backboneParams).toBe((features + 1) * 2);
      expect(Number((s.macs / 1e9).toFixed(2))).toBeCloseTo(GMACS[name], 1);
      expect(s.inputSize).toBe(INPUT[name]);
      expect(net.inputSize).toBe(INPUT[name]);
      expect(net.featureModel.outputs.length).toBe(4);
      net.dispose();
    });
  }

  it('the same seed gives the same weights, another seed different ones', () => {
    const [a, b, c] = [0, 0, 1].map((seed) => createBackbone('resnet18', { inputSize: 32, seed }));
    for (const layer of ['conv1', 'layer4.1.conv2', 'fc']) {
      const w = [a, b, c].map((n) => Array.from(n!.model.getLayer(layer).getWeights()[0]!.dataSync()));
      expect(w[1]).toEqual(w[0]);
      expect(w[2]).not.toEqual(w[0]);
    }
    for (const n of [a, b, c]) n!.dispose();
  });

  it('honours numClasses, inputSize and taps', () => {
    const net = createBackbone('resnet18', { numClasses: 5, inputSize: 96, taps: { layer4: 1, stem: 0.5 } });
    expect(net.model.outputs[0]!.shape).toEqual([null, 5]);
    expect(net.featureModel.outputs.map((o) => o.shape)).toEqual([
      [null, 5],
      [null, 3, 3, 512],
      [null, 24, 24, 64],
    ]);
    expect(net.summary().inputSize).toBe(96);
    net.dispose();
  });

  it('rejects bad arguments, naming the argument and the function', () => {
    expect(() => createBackbone('resnet101' as BackboneName)).toThrow(
      /Argument 'name' passed to 'createBackbone'/,
    );
    expect(() => createBackbone('resnet18', { numClasses: 0 })).toThrow(
      /'options.numClasses' passed to 'createBackbone'/,
    );
    expect(() => createBackbone('resnet18', { inputSize: 16 })).toThrow(/'options.inputSize'/);
    expect(() => createBackbone('resnet18', { taps: { 'features.2': 1 } })).toThrow(
      /unknown tap 'features.2' for resnet18; available: stem, layer1/,
    );
    expect(() => createBackbone('efficientnet_b0', { dropout: 1 })).toThrow(/'options.dropout'/);
    expect(() => createBackbone('resnet18', { seed: -1 })).toThrow(/'options.seed'/);
  });
});
