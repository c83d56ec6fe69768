// The synthesis pieces of makeBenchmark, for tests and custom generators: `@qad/benchmark/synthesis`.
export type { Background } from './background';
export { mediaBackground, syntheticBackground } from './background';
export type { BlendMaskParams } from './blend_mask';
export { BLEND_RATIOS, blendMask, drawBlendMask, maskReach } from './blend_mask';
export { deriveSeed } from './derive_seed';
export type { FaceIdentity, FaceMotion, FacePose, PoseBox, Rgb } from './face_model';
export { facePose, fromFaceLocal, makeIdentity, makeMotion, poseBox, toFaceLocal } from './face_model';
export type { FaceSwapParams } from './face_swap';
export { drawFaceSwapParams, faceSwapFrame } from './face_swap';
export type { RenderedFrame } from './render_face';
export { renderFrame } from './render_face';
export type { SelfBlendParams } from './self_blend';
export { drawSelfBlendParams, selfBlendFrame } from './self_blend';
