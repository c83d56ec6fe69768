import type { WeightSelector } from './options';
import type { NamedVariable, WeightInfo } from './target';

function describeSelector(include: WeightSelector | undefined): string {
  if (include === undefined) return 'the default (rank >= 2)';
  if (include instanceof RegExp) return `'include' ${String(include)}`;
  if (typeof include === 'function') return "the 'include' predicate";
  return `'include' [${include.join(', ')}]`;
}

/**
 * The candidates that `include` selects, in the target's order. The default keeps rank ≥ 2 weights: kernels
 * carry the function a layer computes, while biases and normalisation scales are left to the optimizer.
 */
export function selectWeights(
  candidates: readonly NamedVariable[],
  include: WeightSelector | undefined,
  op: string,
): NamedVariable[] {
  let selected: NamedVariable[];
  if (include === undefined) {
    selected = candidates.filter((c) => c.variable.rank >= 2);
  } else if (include instanceof RegExp) {
    // search() ignores lastIndex, so a /g or /y expression cannot skip names.
    selected = candidates.filter((c) => c.name.search(include) >= 0);
  } else if (typeof include === 'function') {
    selected = candidates.filter((c) =>
      include({ name: c.name, shape: c.variable.shape } satisfies WeightInfo),
    );
  } else {
    const byName = new Map(candidates.map((c) => [c.name, c]));
    const missing = include.filter((name) => !byName.has(name));
    if (missing.length > 0) {
      throw new Error(
        `Option 'include' passed to 'AdversarialWeightPerturbation' names [${missing.join(', ')}], which ` +
          `${missing.length === 1 ? 'is not a trainable weight' : 'are not trainable weights'} of the target ` +
          `(found in '${op}'); trainable weights: [${candidates.map((c) => c.name).join(', ')}].`,
      );
    }
    const wanted = new Set(include);
    selected = candidates.filter((c) => wanted.has(c.name));
  }
  if (selected.length === 0) {
    throw new Error(
      `'${op}' found no weights to perturb: ${describeSelector(include)} matched none of the target's ` +
        `${candidates.length} trainable weights [${candidates.map((c) => c.name).join(', ')}].`,
    );
  }
  return selected;
}
