/**
 * A quality modality of the same face. FaceForensics++ ships `raw` (lossless), `c23` and `c40` (libx264 at
 * constant rate factor 23 / 40); QAD adds {@link RANDOM_JPEG_QUALITY}, a JPEG round trip at a random quality
 * drawn per image. Other names are allowed for user-defined modalities.
 */
export type Quality = 'raw' | 'c23' | 'c40' | (string & {});

/** The three FaceForensics++ qualities, in the paper's order. */
export const FFPP_QUALITIES: readonly Quality[] = ['raw', 'c23', 'c40'];

/**
 * Name of the quality made on the fly from `raw` by a JPEG round trip at a quality drawn per image (the
 * paper's "random JPEG compression", section 4.1).
 */
export const RANDOM_JPEG_QUALITY = 'jpeg';

/** The four qualities QAD trains on (section 4.1): the FF++ three and random JPEG; M = 4 blocks per batch. */
export const QAD_QUALITIES: readonly Quality[] = [...FFPP_QUALITIES, RANDOM_JPEG_QUALITY];

/**
 * Checks `numQualities` (the paper's M: how many quality blocks a batch holds) and returns it.
 *
 * @param op - the caller's name, for the error message.
 * @param min - smallest M accepted: 2 for losses that compare qualities, 1 otherwise.
 */
export function checkNumQualities(numQualities: unknown, op: string, min = 2): number {
  if (!(typeof numQualities === 'number' && Number.isInteger(numQualities) && numQualities >= min)) {
    throw new Error(
      `Argument 'numQualities' passed to '${op}' must be an integer >= ${min} (M, the number of quality ` +
        `blocks), but got ${String(numQualities)}.`,
    );
  }
  return numQualities;
}
