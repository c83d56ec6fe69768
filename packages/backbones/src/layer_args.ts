/** `value` when it is an integer ≥ `min`, else an error naming the layer and the argument. */
export function requireCount(value: unknown, layer: string, what: string, min: number): number {
  if (!Number.isInteger(value) || (value as number) < min) {
    throw new Error(`${layer}: ${what} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value as number;
}
