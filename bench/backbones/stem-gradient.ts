/**
 * Does a training step compute the gradient of the input image through the stem convolution? tfjs's
 * fused conv2d computes both gradients eagerly, which would waste a `Conv2DBackpropInput` over the whole
 * image. This profiles one step of `tf.variableGrads` and lists the backprop-input kernels whose output
 * has 3 channels (the image). Usage: `npx tsx bench/backbones/stem-gradient.ts [size]` (default 224, cpu).
 */
import * as tf from '@tensorflow/tfjs';
import { type BackboneName, createBackbone } from '../../packages/backbones/src';

const size = Number(process.argv[2] ?? 224);
await tf.setBackend('cpu');
for (const name of ['resnet18', 'efficientnet_b0'] as BackboneName[]) {
  const net = createBackbone(name, { inputSize: size });
  const x = tf.randomNormal([1, size, size, 3]) as tf.Tensor4D;
  const labels = tf.oneHot([1], 2);
  const info = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() =>
      tf.tidy(() => {
        const { logits, features } = net.forward(x, { training: true });
        tf.dispose(Object.values(features));
        return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
      }),
    );
    tf.dispose([value, ...Object.values(grads)]);
  });
  const imageGrads = info.kernels.filter(
    (k) => k.name.includes('BackpropInput') && k.outputShapes.some((s) => s[s.length - 1] === 3),
  );
  const backpropInputs = info.kernels.filter((k) => k.name.includes('BackpropInput')).length;
  console.log(
    `${name} @${size}: ${info.kernels.length} kernels, ${backpropInputs} conv backprop-input kernels, ` +
      `${imageGrads.length} of them towards the image: ${imageGrads.map((k) => `${k.name} → [${k.outputShapes[0]}] ${k.kernelTimeMs}ms`).join(', ') || 'none'}`,
  );
  tf.dispose([x, labels]);
  net.dispose();
}
