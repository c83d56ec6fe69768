export { Compose, type RgbTransform } from './compose';
export { transformFromConfig } from './from_config';
export { HorizontalFlip, type HorizontalFlipOptions, type HorizontalFlipParams } from './horizontal_flip';
export { Jpeg, type JpegTransformOptions } from './jpeg';
export {
  applyJpegDraw,
  type DrawJpegQualitiesOptions,
  drawJpegQualities,
  JPEG_DRAWS_FORMAT,
  type JpegDraws,
  jpegDrawsFrameTransform,
  jpegQualityFor,
  loadJpegDraws,
  loadOrDrawJpegQualities,
  RANDOM_JPEG_TEST_RANGE,
  saveJpegDraws,
} from './jpeg_draws';
export { IMAGENET_MEAN, IMAGENET_STD, Normalize, type NormalizeOptions } from './normalize';
export { RandomJpeg, type RandomJpegOptions, type RandomJpegParams } from './random_jpeg';
export { Resize, type ResizeTransformOptions } from './resize';
export type { FloatImage, Transform, TransformConfig } from './transform';
