import * as tf from '@tensorflow/tfjs-core';

/**
 * Wraps a loss function that runs inside a gradient tape so that, when it throws, the tensors its kernels
 * saved for the backward pass are freed. tfjs-core keeps those until backprop — which a throwing loss never
 * reaches — so without this every failed `calc` would leak them. Only the tape nodes recorded by this call are
 * touched, so an enclosing (higher-order) tape keeps its own.
 */
export function freeTapeOnThrow(lossFn: () => tf.Scalar): () => tf.Scalar {
  return () => {
    const mark = tf.engine().state.activeTape?.length ?? 0;
    try {
      return lossFn();
    } catch (error) {
      const tape = tf.engine().state.activeTape ?? [];
      for (const node of tape.slice(mark)) {
        for (const saved of node.saved ?? []) saved.dispose();
      }
      throw error;
    }
  };
}
