export type { Background } from './background';
export { mediaBackground, syntheticBackground } from './background';
export type {
  BenchmarkMethod,
  BenchmarkPairs,
  BenchmarkPreset,
  BenchmarkProgress,
  BenchmarkResult,
  BenchmarkSize,
  MakeBenchmarkOptions,
} from './benchmark_options';
export { BENCHMARK_METHODS, BENCHMARK_QUALITIES, BENCHMARK_SIZES } from './benchmark_options';
export type { BlendMaskParams } from './blend_mask';
export { BLEND_RATIOS, blendMask, drawBlendMask, maskReach } from './blend_mask';
export { deriveSeed } from './derive_seed';
export type { BenchmarkBoxes } from './face_boxes';
export { BENCHMARK_BOXES_FILE, readBenchmarkBoxes } from './face_boxes';
export type { FaceIdentity, FaceMotion, FacePose, PoseBox, Rgb } from './face_model';
export { facePose, fromFaceLocal, makeIdentity, makeMotion, poseBox, toFaceLocal } from './face_model';
export type { FaceSwapParams } from './face_swap';
export { drawFaceSwapParams, faceSwapFrame } from './face_swap';
export { makeBenchmark } from './make_benchmark';
export type { RenderedFrame } from './render_face';
export { renderFrame } from './render_face';
export type { SelfBlendParams } from './self_blend';
export { drawSelfBlendParams, selfBlendFrame } from './self_blend';
