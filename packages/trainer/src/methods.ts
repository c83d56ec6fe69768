/** Collaborative term added to cross-entropy (paper Table 4, "Coll. loss"). */
export type CollaborativeKind = 'none' | 'hsic' | 'soft-label' | 'pairwise' | 'center';

/** Adversarial weight perturbation variant (paper Table 4, "Adv. loss"). */
export type AwpKind = 'none' | 'xe' | 'kl';

/** A training method: which collaborative term and which AWP variant go with cross-entropy. */
export interface MethodSpec {
  /** Canonical name, e.g. `qad`, `ce`, `pairwise+awp-xe`. */
  readonly name: string;
  readonly collaborative: CollaborativeKind;
  readonly awp: AwpKind;
  /** Quality-aware baseline: one model per quality, each trained and tested on its own quality only. */
  readonly perQuality: boolean;
}

const COLLABORATIVE: Readonly<Record<string, CollaborativeKind>> = {
  hsic: 'hsic',
  'soft-label': 'soft-label',
  pairwise: 'pairwise',
  center: 'center',
};
const AWP: Readonly<Record<string, AwpKind>> = { 'awp-xe': 'xe', 'awp-kl': 'kl' };

/** Named methods; any `<collaborative>+<awp>` combination (e.g. `center+awp-xe`) is accepted as well. */
export const METHOD_NAMES = [
  'ce',
  'quality-aware',
  'hsic',
  'soft-label',
  'pairwise',
  'center',
  'awp-xe',
  'awp-kl',
  'qad',
] as const;

/**
 * Resolves a method name:
 * - `ce` — mixed-quality cross-entropy (the quality-agnostic baseline);
 * - `quality-aware` — cross-entropy, one model per quality (paper Table 3 baselines);
 * - `hsic`, `soft-label`, `pairwise`, `center` — cross-entropy + one collaborative term;
 * - `awp-xe`, `awp-kl` — cross-entropy with AWP on cross-entropy / on the raw-vs-compressed KL;
 * - `qad` = `hsic+awp-xe` (the paper's method); other `+` combinations compose the same way.
 *
 * @throws naming the unknown part and listing the valid names.
 */
export function resolveMethod(name: string): MethodSpec {
  const canonical = name.trim().toLowerCase();
  if (canonical === 'ce') return { name: 'ce', collaborative: 'none', awp: 'none', perQuality: false };
  if (canonical === 'quality-aware') {
    return { name: 'quality-aware', collaborative: 'none', awp: 'none', perQuality: true };
  }
  const parts = canonical === 'qad' ? ['hsic', 'awp-xe'] : canonical.split('+').map((p) => p.trim());
  let collaborative: CollaborativeKind = 'none';
  let awp: AwpKind = 'none';
  for (const part of parts) {
    if (part in COLLABORATIVE && collaborative === 'none') collaborative = COLLABORATIVE[part]!;
    else if (part in AWP && awp === 'none') awp = AWP[part]!;
    else {
      throw new Error(
        `Unknown or repeated method part '${part}' in method '${name}'. Methods: ${METHOD_NAMES.join(', ')}, ` +
          `or '<${Object.keys(COLLABORATIVE).join('|')}>+<${Object.keys(AWP).join('|')}>'.`,
      );
    }
  }
  return { name: canonical, collaborative, awp, perQuality: false };
}
