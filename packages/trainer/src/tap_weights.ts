import { type CollaborativePreset, QAD_TAP_WEIGHTS } from '@qad/hsic';
import type { TrainableBackbone } from './trainable';

/**
 * The collaborative loss's weight per tap of `backbone`: `given` when set; with the HSIC `paper` preset, 1 for
 * every tap (the paper weights no layer); otherwise, for each of its tap names, the authors' weight for its
 * family (`QAD_TAP_WEIGHTS` of `@qad/hsic`, by the registry name) where the family weights that tap, and 1
 * elsewhere (a custom model, or a tap QAD does not use).
 */
export function resolveTapWeights(
  backbone: Pick<TrainableBackbone, 'name' | 'tapNames'>,
  given?: Readonly<Record<string, number>>,
  hsicPreset: CollaborativePreset = 'authors',
): Readonly<Record<string, number>> {
  if (given !== undefined) {
    for (const [tap, w] of Object.entries(given)) {
      if (!backbone.tapNames.includes(tap)) {
        throw new Error(
          `Option 'tapWeights' names tap '${tap}', which the backbone does not return (taps: ${backbone.tapNames.join(', ')}).`,
        );
      }
      if (!(w >= 0 && Number.isFinite(w))) {
        throw new Error(`Option 'tapWeights.${tap}' must be a finite number ≥ 0, but got ${w}.`);
      }
    }
    return given;
  }
  if (hsicPreset === 'paper') return Object.fromEntries(backbone.tapNames.map((tap) => [tap, 1]));
  const name = backbone.name ?? '';
  const family = Object.entries(QAD_TAP_WEIGHTS).find(([f]) => name.startsWith(f))?.[1] ?? {};
  return Object.fromEntries(backbone.tapNames.map((tap) => [tap, family[tap] ?? 1]));
}
