export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './register_training_kernels';
export {
  type BackendRequest,
  type BackendSelection,
  type SelectBackendOptions,
  selectBackend,
} from './select_backend';
