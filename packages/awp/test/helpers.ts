import * as tf from '@tensorflow/tfjs';

/** Float64 copy of a tensor's values. */
export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

/** The raw float32 bit patterns of a tensor, for bit-identity checks (+0 and −0 differ). */
export function bits(t: tf.Tensor): number[] {
  return Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));
}

export function norm(a: readonly number[]): number {
  let s = 0;
  for (const x of a) s += x * x;
  return Math.sqrt(s);
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  return dot(a, b) / (norm(a) * norm(b));
}

/** `‖a − b‖ / ‖b‖`. */
export function relativeError(a: readonly number[], b: readonly number[]): number {
  return norm(a.map((x, i) => x - b[i]!)) / norm(b);
}

/** Row-major matrix `[rows, cols]` as float64. */
export interface Matrix {
  rows: number;
  cols: number;
  data: number[];
}

export function matrix(t: tf.Tensor): Matrix {
  const [rows, cols] = t.shape as [number, number];
  return { rows, cols, data: values(t) };
}

/**
 * Float64 forward and backward pass of the two-layer net `z = tanh(x W1 + b1) W2 + b2` with mean softmax
 * cross-entropy: the independent reference for AWP's gradients.
 */
export function mlpGradients(
  x: Matrix,
  y: Matrix,
  w1: readonly number[],
  b1: readonly number[],
  w2: readonly number[],
  b2: readonly number[],
  hidden: number,
): { loss: number; dW1: number[]; dW2: number[] } {
  const n = x.rows;
  const d = x.cols;
  const c = y.cols;
  const h: number[] = new Array(n * hidden).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < hidden; j++) {
      let s = b1[j]!;
      for (let k = 0; k < d; k++) s += x.data[i * d + k]! * w1[k * hidden + j]!;
      h[i * hidden + j] = Math.tanh(s);
    }
  }
  let loss = 0;
  const dz: number[] = new Array(n * c).fill(0);
  for (let i = 0; i < n; i++) {
    const z: number[] = [];
    for (let j = 0; j < c; j++) {
      let s = b2[j]!;
      for (let k = 0; k < hidden; k++) s += h[i * hidden + k]! * w2[k * c + j]!;
      z.push(s);
    }
    const max = Math.max(...z);
    const e = z.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    for (let j = 0; j < c; j++) {
      const p = e[j]! / sum;
      const t = y.data[i * c + j]!;
      loss -= (t * Math.log(p)) / n;
      dz[i * c + j] = (p - t) / n;
    }
  }
  const dW2: number[] = new Array(hidden * c).fill(0);
  const dA: number[] = new Array(n * hidden).fill(0);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < hidden; k++) {
      let back = 0;
      for (let j = 0; j < c; j++) {
        dW2[k * c + j]! += h[i * hidden + k]! * dz[i * c + j]!;
        back += dz[i * c + j]! * w2[k * c + j]!;
      }
      const hv = h[i * hidden + k]!;
      dA[i * hidden + k] = back * (1 - hv * hv);
    }
  }
  const dW1: number[] = new Array(d * hidden).fill(0);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      for (let j = 0; j < hidden; j++) dW1[k * hidden + j]! += x.data[i * d + k]! * dA[i * hidden + j]!;
    }
  }
  return { loss, dW1, dW2 };
}

/** A small two-layer net as bare variables, seeded. */
export function makeMlp(
  inputs: number,
  hidden: number,
  classes: number,
  seed: number,
): {
  w1: tf.Variable;
  b1: tf.Variable;
  w2: tf.Variable;
  b2: tf.Variable;
  logits: (x: tf.Tensor) => tf.Tensor2D;
  dispose: () => void;
} {
  const w1 = tf.variable(tf.randomNormal([inputs, hidden], 0, 0.7, 'float32', seed));
  const b1 = tf.variable(tf.randomNormal([hidden], 0, 0.1, 'float32', seed + 1));
  const w2 = tf.variable(tf.randomNormal([hidden, classes], 0, 0.7, 'float32', seed + 2));
  const b2 = tf.variable(tf.randomNormal([classes], 0, 0.1, 'float32', seed + 3));
  return {
    w1,
    b1,
    w2,
    b2,
    logits: (x) => tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(x, w1), b1)), w2), b2) as tf.Tensor2D,
    dispose: () => {
      for (const v of [w1, b1, w2, b2]) v.dispose();
    },
  };
}

/** Seeded inputs `[n, d]` and one-hot labels `[n, c]`. */
export function makeBatch(n: number, d: number, c: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const x = tf.randomNormal([n, d], 0, 1, 'float32', seed) as tf.Tensor2D;
  const labels = tf.tidy(() =>
    tf.cast(tf.floor(tf.randomUniform([n], 0, c, 'float32', seed + 1)), 'int32'),
  ) as tf.Tensor1D;
  const y = tf.oneHot(labels, c) as tf.Tensor2D;
  labels.dispose();
  return { x, y: tf.cast(y, 'float32') as tf.Tensor2D };
}

/** dense + conv2d + batchNormalization, all initializers seeded. Input `[6, 6, 2]`, 3 classes. */
export function makeConvModel(seed: number): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [6, 6, 2],
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
        biasInitializer: tf.initializers.randomNormal({ seed: seed + 1, stddev: 0.1 }),
        name: 'conv',
      }),
      tf.layers.batchNormalization({
        name: 'bn',
        gammaInitializer: tf.initializers.randomUniform({ minval: 0.8, maxval: 1.2, seed: seed + 2 }),
        betaInitializer: tf.initializers.randomNormal({ seed: seed + 3, stddev: 0.1 }),
      }),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({
        units: 3,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 4 }),
        biasInitializer: tf.initializers.randomNormal({ seed: seed + 5, stddev: 0.1 }),
        name: 'head',
      }),
    ],
  });
}
