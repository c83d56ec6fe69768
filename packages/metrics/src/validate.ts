import type { ThresholdOptions } from './types';

/** A value as it should appear in an error message: strings quoted, so that '1' and 1 are told apart. */
export function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** Throws unless `value` is a number other than NaN (±Infinity are valid thresholds). */
export function assertThreshold(value: unknown, argName: string, fnName: string): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new Error(`Option '${argName}' passed to '${fnName}' must be a number, but got ${show(value)}.`);
  }
}

/**
 * Throws unless both classes occur. `subject` names what holds the labels, e.g.
 * "Argument 'labels' passed to 'rocAuc'", so one message serves the functions and the streaming objects.
 */
export function assertBothClasses(
  positives: number,
  negatives: number,
  subject: string,
  metric: string,
): void {
  if (positives === 0) {
    throw new Error(
      `${subject} must contain both classes, but has no fake (label 1) samples: ${metric} is undefined ` +
        'for a single class.',
    );
  }
  if (negatives === 0) {
    throw new Error(
      `${subject} must contain both classes, but has no real (label 0) samples: ${metric} is undefined ` +
        'for a single class.',
    );
  }
}

/** Throws when a streaming object is asked for a result before it has seen any sample. */
export function assertNotEmpty(count: number, owner: string): void {
  if (count === 0) {
    throw new Error(
      `'${owner}.compute' was called with no samples accumulated; call update() with at least one sample first.`,
    );
  }
}

/** Reads the threshold out of {@link ThresholdOptions}, validated. */
export function thresholdOption(options: ThresholdOptions, owner: string): number {
  const { threshold = 0.5 } = options;
  assertThreshold(threshold, 'threshold', owner);
  return threshold;
}
