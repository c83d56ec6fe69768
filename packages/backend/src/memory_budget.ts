/** The wasm backend's heap is a 32-bit WebAssembly memory: it cannot grow past 4 GiB. */
export const WASM_HEAP_LIMIT_BYTES = 4 * 2 ** 30;

/** The parts of a tfjs-layers layer that the estimate reads (a `tf.layers.Layer` satisfies it). */
export interface LayerLike {
  readonly name: string;
  readonly outputShape: Array<number | null> | Array<Array<number | null>>;
  /** The symbolic input(s) the layer was applied to. */
  readonly input?: { shape: Array<number | null> } | Array<{ shape: Array<number | null> }>;
  countParams(): number;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
}

/** The parts of a `tf.LayersModel` that the estimate reads. */
export interface ModelLike {
  readonly name: string;
  readonly layers: readonly LayerLike[];
}

/** What training one batch is expected to hold in memory at its peak, in bytes. */
export interface TrainingMemoryEstimate {
  total: number;
  /** Layer outputs kept for the backward pass, and the gradients flowing back through them. */
  activations: number;
  /** Weights, their gradients and two Adam moments. */
  parameters: number;
  /** The largest temporary a single gradient kernel needs (im2col patches or col2im columns). */
  workspace: number;
  /** The layer that needs that workspace. */
  workspaceLayer: string;
}

const FLOAT = 4;

function elements(shape: Array<number | null>, batch: number): number {
  return shape.reduce<number>((n, d) => n * (d ?? batch), 1);
}

function shapesOf(s: LayerLike['outputShape'] | undefined): Array<Array<number | null>> {
  if (s === undefined) return [];
  return Array.isArray(s[0]) ? (s as Array<Array<number | null>>) : [s as Array<number | null>];
}

/**
 * Layer outputs are multiplied by this: tfjs's gradient tape keeps every intermediate of the forward pass
 * (batch-norm alone keeps its centred input, squared differences and normalised output) until the backward
 * pass has consumed it, and the gradients flowing back are as large again. Calibrated on ResNet-50 at
 * 112 px, batch 2 to 8: the wasm heap grew by 0.22 GiB per sample for 36 MB of layer outputs.
 */
const TAPE_FACTOR = 6;
/** The wasm heap grows in steps of 20% and fragments: leave this much room. */
const HEAP_SLACK = 1.25;

/**
 * Estimates the peak memory of one training step of `model` at `batchSize`: layer outputs times
 * `TAPE_FACTOR`, 16 bytes per parameter (weight, gradient, Adam's two moments), and the largest gradient
 * workspace of this package's convolution kernels, all times `HEAP_SLACK`. An estimate, meant to fail early
 * and clearly (see bench/train-step/README.md for how it compares with measured heaps), not to budget to
 * the byte.
 */
export function estimateTrainingMemory(model: ModelLike, batchSize: number): TrainingMemoryEstimate {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(
      `Argument 'batchSize' passed to 'estimateTrainingMemory' must be a positive integer, got ${batchSize}.`,
    );
  }
  let activationElements = 0;
  let parameters = 0;
  let workspace = 0;
  let workspaceLayer = '';
  for (const layer of model.layers) {
    parameters += layer.countParams();
    for (const shape of shapesOf(layer.outputShape)) activationElements += elements(shape, batchSize);
    const kind = layer.getClassName();
    if (kind === 'Conv2D' || kind === 'DepthwiseConv2D') {
      const config = layer.getConfig();
      const kernel = config.kernelSize as number[] | number;
      const taps = Array.isArray(kernel) ? kernel[0]! * kernel[1]! : kernel * kernel;
      const input = (Array.isArray(layer.input) ? layer.input[0] : layer.input)?.shape;
      const output = shapesOf(layer.outputShape)[0];
      if (input && output && kind === 'Conv2D') {
        const positions = elements(output.slice(0, 3), batchSize);
        const bytes = taps * (input[3] ?? 1) * positions * FLOAT;
        if (bytes > workspace) {
          workspace = bytes;
          workspaceLayer = layer.name;
        }
      }
    }
  }
  const activations = TAPE_FACTOR * activationElements * FLOAT;
  const parameterBytes = 16 * parameters;
  return {
    total: HEAP_SLACK * (activations + parameterBytes + workspace),
    activations,
    parameters: parameterBytes,
    workspace,
    workspaceLayer,
  };
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

/**
 * Throws before the first step when training `model` at `batchSize` is estimated not to fit the wasm heap,
 * naming the estimate, its parts and what to change. Returns the estimate otherwise.
 *
 * @param options.inputSize - shown in the message, e.g. 224.
 * @param options.limitBytes - the heap limit; default {@link WASM_HEAP_LIMIT_BYTES}.
 */
export function assertFitsWasmHeap(
  model: ModelLike,
  batchSize: number,
  options: { limitBytes?: number; inputSize?: number } = {},
): TrainingMemoryEstimate {
  const limit = options.limitBytes ?? WASM_HEAP_LIMIT_BYTES;
  const estimate = estimateTrainingMemory(model, batchSize);
  if (estimate.total > limit) {
    const perSample = (HEAP_SLACK * (estimate.activations + estimate.workspace)) / batchSize;
    const fittingBatch = Math.max(0, Math.floor((limit - HEAP_SLACK * estimate.parameters) / perSample));
    const size = options.inputSize ? ` at ${options.inputSize} px` : '';
    throw new Error(
      `Training '${model.name}'${size} with batch ${batchSize} needs about ${gib(estimate.total)} ` +
        `(activations ${gib(estimate.activations)}, parameters and optimizer state ${gib(estimate.parameters)}, ` +
        `largest kernel workspace ${gib(estimate.workspace)} in '${estimate.workspaceLayer}'), more than the wasm ` +
        `backend's ${gib(limit)} heap. Lower the batch (about ${fittingBatch} fits), lower the input resolution, ` +
        `or use a native backend (--backend onednn with @qad/backend-onednn, or --backend tensorflow with @tensorflow/tfjs-node).`,
    );
  }
  return estimate;
}
