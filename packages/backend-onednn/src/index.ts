export { BufferPool, type BufferPoolStats } from './buffer_pool';
export { convParams } from './conv_params';
export { type KernelRoute, kernelRoutes, resetKernelRoutes } from './kernel_routes';
export { ADAM_UPDATE, type AdamUpdateAttrs } from './kernels/adam_update';
export { BATCH_NORM_TRAIN_BACKWARD, BATCH_NORM_TRAIN_FORWARD } from './kernels/batch_norm_training';
export { reductionBlock } from './kernels/reductions';
export { RELU_GRAD, registerReluGradient } from './kernels/relu_grad';
export { SWISH, SWISH_GRAD } from './kernels/swish';
export {
  defaultAddonPath,
  loadOnednnAddon,
  ONEDNN_FIX,
  type OnednnAddon,
  OnednnUnavailableError,
} from './load_addon';
export {
  DEFAULT_BUFFER_POOL_MIB,
  MathBackendOnednn,
  ONEDNN_KERNELS,
  type RegisterOnednnOptions,
  registerOnednnBackend,
} from './register_onednn_backend';
export {
  type AddonSelfTestOptions,
  type AddonSelfTestResult,
  defaultCacheDir,
  selfTestOnednnAddon,
} from './self_test';
