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
export type { BenchmarkBoxes } from './face_boxes';
export { BENCHMARK_BOXES_FILE, readBenchmarkBoxes } from './face_boxes';
export { makeBenchmark } from './make_benchmark';
