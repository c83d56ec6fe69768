export {
  type BoxSidecar,
  type BoxSource,
  detectorBoxSource,
  type PrecomputedBoxesOptions,
  precomputedBoxes,
  type StoredBox,
  type StoredFrameBoxes,
} from './box_source';
export {
  CROP_MANIFEST_FILE,
  type CropManifest,
  type CropManifestVideo,
  type CropSettings,
  manifestToPairedSplit,
  readCropManifest,
} from './crop_manifest';
export { cropSquare } from './crop_square';
export {
  type ExtractFaceCropsOptions,
  type ExtractFaceCropsResult,
  extractFaceCrops,
} from './extract_face_crops';
export {
  createFaceApiDetector,
  type FaceApiDetector,
  type FaceApiDetectorOptions,
  type FaceApiModel,
} from './face_api_detector';
export {
  type FaceBox,
  type FaceDetector,
  largestFace,
  type SquareClip,
  type SquareRegion,
  squareBox,
} from './face_box';
export { type ExtractProgress, formatProgress } from './progress_line';
