export type { CelebDFOptions } from './celeb_df';
export { loadCelebDF } from './celeb_df';
export type { FaceForensicsOptions } from './face_forensics';
export { FFPP_METHODS, loadFaceForensics, readFaceForensicsSplit } from './face_forensics';
export type { FFIWOptions } from './ffiw';
export { loadFFIW } from './ffiw';
export type { PairedIndexImportOptions, VideoOfFrame } from './paired_index_json';
export {
  parsePairedIndex,
  readPairedIndex,
  serializePairedIndex,
  writePairedIndex,
} from './paired_index_json';
export type { MissingPolicy, SkippedVideo, VideoDataset } from './video_dataset';
export type { VideoFolderOptions } from './video_folder';
export { loadVideoFolder, MEDIA_EXTENSIONS } from './video_folder';
