/**
 * QAD's HSIC weight per tap, by backbone family. `@qad/backbones` names the tap *points* (as timm does);
 * the weights are the loss's. ResNet: the authors' released weights on the stage outputs layer1–3 (layer4
 * and the logits get weight 0). EfficientNet: the authors published none, so the last stage output at each
 * of strides 4, 8 and 16 (`features.2`: 24 ch, `features.3`: 40 ch, `features.5`: 112 ch) — the depths of
 * ResNet's layer1–3 — with the same weights.
 */
export const QAD_TAP_WEIGHTS: Readonly<Record<'resnet' | 'efficientnet', Readonly<Record<string, number>>>> =
  {
    resnet: { layer1: 0.1, layer2: 0.25, layer3: 0.5 },
    efficientnet: { 'features.2': 0.1, 'features.3': 0.25, 'features.5': 0.5 },
  };

/**
 * QAD's tap weights for a backbone by its registry name (`resnet18`, `resnet50`, `efficientnet_b0`, …): a
 * fresh copy of its family's {@link QAD_TAP_WEIGHTS}. Throws for a name of no known family; a custom model
 * gives its own weights instead (or none: a tap without a weight counts 1 in `collaborativeLoss`).
 */
export function tapWeightsFor(backbone: string): Record<string, number> {
  const family = (Object.keys(QAD_TAP_WEIGHTS) as Array<keyof typeof QAD_TAP_WEIGHTS>).find((f) =>
    String(backbone).startsWith(f),
  );
  if (family === undefined) {
    throw new Error(
      `'tapWeightsFor' knows the families ${Object.keys(QAD_TAP_WEIGHTS).join(', ')}, but got backbone ` +
        `'${String(backbone)}'; pass tap weights of your own for other models.`,
    );
  }
  return { ...QAD_TAP_WEIGHTS[family] };
}
