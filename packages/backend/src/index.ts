export {
  assertFitsWasmHeap,
  estimateTrainingMemory,
  type LayerLike,
  type ModelLike,
  type TrainingMemoryEstimate,
  WASM_HEAP_LIMIT_BYTES,
} from './memory_budget';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './register_training_kernels';
export {
  type BackendRequest,
  type BackendSelection,
  type SelectBackendOptions,
  selectBackend,
} from './select_backend';
