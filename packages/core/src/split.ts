/** Data-set split names. */
export type Split = 'train' | 'val' | 'test';

/** The three splits, in order. */
export const SPLITS: readonly Split[] = ['train', 'val', 'test'];

/** Class label: `0` = real, `1` = fake (the authors' convention; Celeb-DF's list file is inverted on read). */
export type Label = 0 | 1;
