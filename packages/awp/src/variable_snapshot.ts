import * as tf from '@tensorflow/tfjs-core';

/** The values some variables hold at one moment. */
export interface VariableSnapshot {
  readonly variables: readonly tf.Variable[];
  /** Clones: they share the variables' memory, so taking a snapshot copies nothing. */
  readonly tensors: readonly tf.Tensor[];
  dispose(): void;
}

/** Remembers the tensors `variables` hold now. */
export function takeSnapshot(variables: readonly tf.Variable[]): VariableSnapshot {
  const tensors = variables.map((v) => tf.keep(tf.clone(v)));
  return {
    variables,
    tensors,
    dispose() {
      for (const t of tensors) t.dispose();
    },
  };
}

/**
 * Points every variable back at its snapshot tensor. Assigning the very tensor it held makes the restore
 * bit-exact, and is skipped when the variable was never written.
 */
export function restoreSnapshot(snapshot: VariableSnapshot): void {
  snapshot.variables.forEach((v, i) => {
    const saved = snapshot.tensors[i]!;
    if (v.dataId !== saved.dataId) v.assign(saved);
  });
}
