import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { type BackboneName, createBackbone, listBackbones } from '../src';

/** The torchvision architectures (the comparison detectors have their own test, comparison_detectors.test.ts). */
type TorchvisionName = Exclude<BackboneName, 'meso4' | 'mesoinception4' | 'xception'>;

// Published torchvision counts minus the 1000-class head, in millions, to the precision the brief reports.
const PARAMS_M: Record<TorchvisionName, number> = {
  resnet18: 11.18,
  resnet34: 21.28,
  resnet50: 23.51,
  efficientnet_b0: 4.01,
  efficientnet_b1: 6.51,
  efficientnet_b4: 17.55,
};
const INPUT: Record<BackboneName, number> = {
  meso4: 256,
  mesoinception4: 256,
  xception: 299,
  resnet18: 224,
  resnet34: 224,
  resnet50: 224,
  efficientnet_b0: 224,
  efficientnet_b1: 240,
  efficientnet_b4: 380,
};
// torchvision's documented GFLOPS (multiply-adds) with the 1000-class head, minus that head's 2.05M / 1.28M.
const GMACS: Record<TorchvisionName, number> = {
  resnet18: 1.81,
  resnet34: 3.66,
  resnet50: 4.09,
  efficientnet_b0: 0.39,
  efficientnet_b1: 0.69,
  efficientnet_b4: 4.39,
};

describe('registry', () => {
  it('lists the nine architectures with their default sizes and taps', () => {
    const list = listBackbones();
    expect(list.map((b) => b.name)).toEqual([
      ...Object.keys(PARAMS_M),
      'meso4',
      'mesoinception4',
      'xception',
    ]);
    for (const b of list) {
      expect(b.inputSize).toBe(INPUT[b.name]);
      expect(b.defaultTaps).toHaveLength(3);
    }
    expect(list[0]!.defaultTaps).toEqual(['layer1', 'layer2', 'layer3']);
    expect(list[3]!.defaultTaps).toEqual(['features.2', 'features.3', 'features.5']);
  });

  for (const name of Object.keys(PARAMS_M) as TorchvisionName[]) {
    it(`${name}: parameters without head ${PARAMS_M[name]}M, MACs, default taps`, () => {
      const net = createBackbone(name);
      const s = net.summary();
      expect(Number((s.backboneParams / 1e6).toFixed(2))).toBe(PARAMS_M[name]);
      expect(s.backboneParams).toBe(net.info.params);
      // 2-class head: (features + 1) · 2 parameters.
      const features =
        name === 'efficientnet_b4'
          ? 1792
          : name.startsWith('efficientnet')
            ? 1280
            : name === 'resnet50'
              ? 2048
              : 512;
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
    const net = createBackbone('resnet18', { numClasses: 5, inputSize: 96, taps: ['layer4', 'stem'] });
    expect(net.model.outputs[0]!.shape).toEqual([null, 5]);
    expect(net.featureModel.outputs.map((o) => o.shape)).toEqual([
      [null, 5],
      [null, 3, 3, 512],
      [null, 24, 24, 64],
    ]);
    expect(net.summary().inputSize).toBe(96);
    net.dispose();
    // The old form, a map from tap to weight, is read for its keys.
    const old = createBackbone('resnet18', { inputSize: 64, taps: { layer2: 0.25 } });
    expect(old.tapNames).toEqual(['layer2']);
    old.dispose();
  });

  it("variant 'keras': same parameters, v1 stride placement, TF 'same' padding, Keras BN epsilons", () => {
    expect(listBackbones().map((b) => [b.name, b.variants])).toEqual([
      ['resnet18', ['torchvision']],
      ['resnet34', ['torchvision']],
      ['resnet50', ['torchvision', 'keras']],
      ['efficientnet_b0', ['torchvision', 'keras']],
      ['efficientnet_b1', ['torchvision', 'keras']],
      ['efficientnet_b4', ['torchvision']],
      // The MesoNets exist only as the authors' Keras networks: that is also their default.
      ['meso4', ['keras']],
      ['mesoinception4', ['keras']],
      ['xception', ['torchvision']],
    ]);
    const meso = createBackbone('meso4', { inputSize: 32 });
    expect(meso.variant).toBe('keras');
    meso.dispose();
    expect(() => createBackbone('meso4', { variant: 'torchvision' })).toThrow(
      /must be one of keras for meso4/,
    );
    const config = (net: ReturnType<typeof createBackbone>, layer: string) =>
      net.model.getLayer(layer).getConfig();
    const v1 = createBackbone('resnet50', { inputSize: 64, variant: 'keras' });
    const v15 = createBackbone('resnet50', { inputSize: 64 });
    expect([v1.variant, v15.variant]).toEqual(['keras', 'torchvision']);
    expect(v1.summary().backboneParams).toBe(v15.summary().backboneParams);
    // keras.applications ResNet50: the stage's first 1×1 conv strides; torchvision: the 3×3 (a PaddedConv2D,
    // whose stride is one number).
    for (const [net, conv1, conv2] of [
      [v1, [2, 2], 1],
      [v15, [1, 1], 2],
    ] as const) {
      expect(config(net, 'layer2.0.conv1').strides).toEqual(conv1);
      expect(config(net, 'layer2.0.conv2').strides).toEqual(conv2);
      expect(config(net, 'layer1.0.conv1').strides).toEqual([1, 1]);
      expect(config(net, 'layer2.0.conv2').padding).toEqual([
        [1, 1],
        [1, 1],
      ]);
      expect(config(net, 'layer2.0.downsample.0').strides).toEqual([2, 2]);
    }
    expect(config(v1, 'layer3.1.bn2').epsilon).toBe(1.001e-5);
    expect(config(v15, 'layer3.1.bn2').epsilon).toBe(1e-5);
    // The stride halves the same map in both: identical output shapes.
    expect(v1.featureModel.outputs.map((o) => o.shape)).toEqual(v15.featureModel.outputs.map((o) => o.shape));
    v1.dispose();
    v15.dispose();
    // EfficientNet: correct_pad on even inputs (k//2 − 1 before, k//2 after), symmetric on odd ones and stride 1,
    // folded into each conv (no padding layers left).
    for (const [size, pads] of [
      [
        64,
        {
          'features.0.0': [
            [0, 1],
            [0, 1],
          ],
          'features.2.0.block.1.0': [
            [0, 1],
            [0, 1],
          ],
          'features.3.0.block.1.0': [
            [1, 2],
            [1, 2],
          ],
          'features.3.1.block.1.0': [
            [2, 2],
            [2, 2],
          ],
        },
      ],
      [
        66,
        {
          'features.0.0': [
            [0, 1],
            [0, 1],
          ],
          'features.2.0.block.1.0': [
            [1, 1],
            [1, 1],
          ],
        },
      ],
    ] as const) {
      const keras = createBackbone('efficientnet_b0', { inputSize: size, variant: 'keras' });
      const torch = createBackbone('efficientnet_b0', { inputSize: size });
      for (const [layer, padding] of Object.entries(pads)) {
        expect(config(keras, layer).padding, `${size} ${layer}`).toEqual(padding);
      }
      expect(config(torch, 'features.0.0').padding).toEqual([
        [1, 1],
        [1, 1],
      ]);
      expect(keras.model.layers.filter((l) => l.getClassName() === 'ZeroPadding2D')).toEqual([]);
      expect(config(keras, 'features.5.0.block.1.1').epsilon).toBe(1e-3);
      expect(config(torch, 'features.5.0.block.1.1').epsilon).toBe(1e-5);
      expect(keras.summary().backboneParams).toBe(4_007_548);
      expect(keras.featureModel.outputs.map((o) => o.shape)).toEqual(
        torch.featureModel.outputs.map((o) => o.shape),
      );
      keras.dispose();
      torch.dispose();
    }
  });

  it('rejects bad arguments, naming the argument and the function', () => {
    expect(() => createBackbone('resnet101' as BackboneName)).toThrow(
      /Argument 'name' passed to 'createBackbone'/,
    );
    expect(() => createBackbone('resnet18', { numClasses: 0 })).toThrow(
      /'options.numClasses' passed to 'createBackbone'/,
    );
    expect(() => createBackbone('resnet18', { inputSize: 16 })).toThrow(/'options.inputSize'/);
    expect(() => createBackbone('resnet18', { taps: ['features.2'] })).toThrow(
      /unknown tap 'features.2' for resnet18; available: stem, layer1/,
    );
    expect(() => createBackbone('resnet18', { taps: ['layer1', 'layer1'] })).toThrow(
      /names a tap twice: layer1, layer1/,
    );
    expect(() => createBackbone('efficientnet_b0', { dropout: 1 })).toThrow(/'options.dropout'/);
    expect(() => createBackbone('resnet18', { seed: -1 })).toThrow(/'options.seed'/);
    expect(() => createBackbone('resnet34', { variant: 'keras' })).toThrow(
      /'options.variant' passed to 'createBackbone' must be one of torchvision for resnet34, got 'keras'/,
    );
  });
});

describe('widthMultiplier', () => {
  /** ResNet-18 parameters without the head for stage widths w·[1, 2, 4, 8] and stem width w, counted by hand. */
  function resnet18Params(w: number): number {
    const bn = (c: number) => 2 * c;
    let total = 3 * 7 * 7 * w + bn(w);
    let cin = w;
    for (let stage = 0; stage < 4; stage++) {
      const c = w * 2 ** stage;
      for (let b = 0; b < 2; b++) {
        total += cin * 9 * c + bn(c) + c * 9 * c + bn(c);
        if (cin !== c) total += cin * c + bn(c); // 1×1 downsample of the first block of stages 2–4
        cin = c;
      }
    }
    return total;
  }

  it('scales every ResNet layer (hand-counted parameters) and keeps the published model at 1', () => {
    expect(resnet18Params(64)).toBe(createBackbone('resnet18', { inputSize: 32 }).summary().backboneParams);
    const narrow = createBackbone('resnet18', { inputSize: 64, widthMultiplier: 0.25 });
    expect(narrow.summary().backboneParams).toBe(resnet18Params(16));
    const { logits, features } = narrow.forward(tf.zeros([1, 64, 64, 3]));
    expect(features.layer3!.shape).toEqual([1, 4, 4, 64]);
    tf.dispose([logits, ...Object.values(features)]);
  });

  it('is refused outside (0, 4] and for EfficientNet', () => {
    expect(() => createBackbone('resnet18', { widthMultiplier: 0 })).toThrow(
      "Argument 'options.widthMultiplier' passed to 'createBackbone' must be in (0, 4], got 0.",
    );
    expect(() => createBackbone('efficientnet_b0', { widthMultiplier: 0.5 })).toThrow(
      /only supported by the ResNets/,
    );
  });
});
