/** Interleaved 8-bit RGB pixels, row-major (`height × width × 3`). */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}
