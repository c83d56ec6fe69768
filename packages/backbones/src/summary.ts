import type * as tfl from '@tensorflow/tfjs-layers';
import { PaddedConv2D } from './padded_conv';

/** What `Backbone.summary()` reports. */
export interface BackboneSummary {
  /** Trainable parameters, head included. */
  params: number;
  /** Trainable parameters without the classifier head (torchvision's count minus `fc` / `classifier`). */
  backboneParams: number;
  /** Non-trainable weights (batch-norm moving statistics). */
  nonTrainable: number;
  /** Forward multiply-adds for one image at `inputSize` (convolutions and dense layers). */
  macs: number;
  /** Square input side the MACs were counted at. */
  inputSize: number;
}

const CONVS = new Set(['Conv2D', 'DepthwiseConv2D', 'QadStemConv2D', 'QadPaddedConv2D']);

function size(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((p, d) => p * (d ?? 1), 1);
}

/**
 * Counts parameters and forward multiply-adds of a backbone's model, one image at its built input size.
 * Element-wise work (BN, activations, SE scaling, pooling) is left out, as in the usual FLOP tables.
 */
export function summarize(model: tfl.LayersModel, headLayer: string): BackboneSummary {
  let params = 0;
  let head = 0;
  let nonTrainable = 0;
  let macs = 0;
  for (const layer of model.layers) {
    for (const w of layer.trainableWeights) params += size(w.shape);
    for (const w of layer.nonTrainableWeights) nonTrainable += size(w.shape);
    if (layer.name === headLayer) for (const w of layer.trainableWeights) head += size(w.shape);
    const className = layer.getClassName();
    const kernel = layer.trainableWeights[0];
    if (kernel === undefined) continue;
    const out = layer.outputShape as (number | null)[];
    if (CONVS.has(className)) {
      // kernel [kh, kw, cin, cout] (conv) or [kh, kw, c, multiplier] (depthwise): each output pixel costs
      // kh·kw·cin MACs per output channel for a conv, kh·kw per output channel for a depthwise conv.
      const [kh, kw, cin] = kernel.shape as number[];
      const depthwise = className === 'DepthwiseConv2D' || (layer instanceof PaddedConv2D && layer.depthwise);
      const perOutput = depthwise ? kh! * kw! : kh! * kw! * cin!;
      macs += size(out.slice(1)) * perOutput;
    } else if (className === 'Dense') {
      macs += size(kernel.shape);
    }
  }
  const input = model.inputs[0]!.shape;
  return { params, backboneParams: params - head, nonTrainable, macs, inputSize: input[1] as number };
}
