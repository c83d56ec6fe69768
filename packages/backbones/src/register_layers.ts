import * as tf from '@tensorflow/tfjs-core';
import { DilatedConv2D } from './dilated_conv';
import { PaddedConv2D } from './padded_conv';
import { PaddedMaxPooling2D } from './padded_max_pool';
import { StemConv2D } from './stem_conv';
import { StochasticDepth } from './stochastic_depth';
import { Swish } from './swish';

let registered = false;

/**
 * Registers this package's custom layers with tfjs serialisation, so `tf.loadLayersModel` can rebuild a
 * saved EfficientNet. Done on demand (by `createBackbone` and `loadDetector`) rather than at import time,
 * because the package is side-effect free and bundlers may drop an import-time registration.
 */
export function registerBackboneLayers(): void {
  if (registered) return;
  tf.serialization.registerClass(StochasticDepth);
  tf.serialization.registerClass(PaddedConv2D);
  tf.serialization.registerClass(PaddedMaxPooling2D);
  tf.serialization.registerClass(DilatedConv2D);
  // Models saved before PaddedConv2D replaced it in the stem.
  tf.serialization.registerClass(StemConv2D);
  tf.serialization.registerClass(Swish);
  registered = true;
}
