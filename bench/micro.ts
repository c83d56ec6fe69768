import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../packages/backend/src';
await selectBackend('wasm');
function time(name: string, flops: number, f: () => tf.Tensor, reps = 3) {
  f().dispose();
  const t = performance.now(); for (let i = 0; i < reps; i++) { const r = f(); r.dataSync(); r.dispose(); }
  const ms = (performance.now() - t) / reps; console.log(name.padEnd(44), ms.toFixed(1), 'ms', (flops / ms / 1e6).toFixed(2), 'GFLOP/s');
}
const N = 16, H = 56, C = 64, K = 128, OH = 28;
const x = tf.randomNormal([N, H, H, C]); const dy = tf.randomNormal([N, OH, OH, K]); const w = tf.randomNormal([3,3,C,K]);
const flops = 2 * N * OH * OH * C * K * 9;
time('s2 forward conv', flops, () => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'));
time('s2 Conv2DBackpropInput', flops, () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: [2,2], pad: 'same', dataFormat: 'NHWC', inputShape: [N,H,H,C] }) as tf.Tensor);
time('s2 Conv2DBackpropFilter', flops, () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [2,2], pad: 'same', dataFormat: 'NHWC', filterShape: [3,3,C,K] }) as tf.Tensor);
time('dilate via pad6d', 0, () => tf.tidy(() => tf.reshape(tf.pad(tf.reshape(dy, [N, OH, 1, OH, 1, K]), [[0,0],[0,0],[0,1],[0,0],[0,1],[0,0]]), [N, 2*OH, 2*OH, K])));
const x7 = tf.randomNormal([N, 112, 112, 3]); const dy7 = tf.randomNormal([N, 56, 56, 64]);
time('stem 7x7 s2 BackpropFilter', 2*N*56*56*3*64*49, () => tf.engine().runKernel('Conv2DBackpropFilter', { x: x7, dy: dy7 }, { strides: [2,2], pad: 'same', dataFormat: 'NHWC', filterShape: [7,7,3,64] }) as tf.Tensor);
time('stem 7x7 s2 forward', 2*N*56*56*3*64*49, () => tf.conv2d(x7 as tf.Tensor4D, tf.randomNormal([7,7,3,64]) as tf.Tensor4D, 2, 'same'));
const xl = tf.randomNormal([N, 7, 7, 512]); const dyl = tf.randomNormal([N, 7, 7, 512]); const wl = tf.randomNormal([3,3,512,512]);
time('layer4 3x3 512 BackpropFilter', 2*N*49*512*512*9, () => tf.engine().runKernel('Conv2DBackpropFilter', { x: xl, dy: dyl }, { strides: [1,1], pad: 'same', dataFormat: 'NHWC', filterShape: [3,3,512,512] }) as tf.Tensor);
time('layer4 3x3 512 BackpropInput', 2*N*49*512*512*9, () => tf.engine().runKernel('Conv2DBackpropInput', { dy: dyl, filter: wl }, { strides: [1,1], pad: 'same', dataFormat: 'NHWC', inputShape: [N,7,7,512] }) as tf.Tensor);
time('layer4 forward', 2*N*49*512*512*9, () => tf.conv2d(xl as tf.Tensor4D, wl as tf.Tensor4D, 1, 'same'));
