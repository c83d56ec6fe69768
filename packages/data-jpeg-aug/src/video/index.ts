export { type DecodedFrame, type DecodeFramesOptions, decodeFrames } from './decode_frames';
export {
  type EncodeVideoOptions,
  encodeVideo,
  type TranscodeVideoOptions,
  transcodeVideo,
  type VideoPixelFormat,
} from './encode_video';
export { FFMPEG_ENV, resolveFfmpeg } from './ffmpeg_path';
export { type ProbeVideoOptions, probeVideo, type VideoInfo } from './probe_video';
export { sampleFrameIndices } from './sample_frames';
