import type * as tf from '@tensorflow/tfjs-core';

/** A backend whose tensors live in one linear heap that JavaScript can view (tfjs-backend-wasm). */
export interface HeapBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.backend_util.TypedArray;
}

/**
 * Allocates a float32 output on the heap and returns it with a writable view. Views of other tensors must be
 * taken after this call: growing the heap detaches views taken before.
 */
export function allocate(backend: HeapBackend, shape: number[]): { info: tf.TensorInfo; data: Float32Array } {
  const info = backend.makeOutput(shape, 'float32');
  return { info, data: backend.typedArrayFromHeap(info) as Float32Array };
}
