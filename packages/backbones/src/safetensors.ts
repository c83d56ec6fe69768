import { atomicWrite } from '@qad/core';
import { readBytes } from './node_fs';

/** Element types of the safetensors format that this reader understands. */
export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** One tensor of a safetensors file. Floating types are widened to float32; integers keep their type. */
export interface SafetensorsTensor {
  /** The dtype stored in the file. */
  dtype: SafetensorsDtype;
  /** Shape, row-major (PyTorch order). */
  shape: number[];
  /** Values; float32 for every floating dtype. */
  values: Float32Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Int16Array;
}

/** Tensors by name, and the file's free-form `__metadata__`. */
export interface SafetensorsContents {
  tensors: Record<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

const BYTES: Record<SafetensorsDtype, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/** IEEE half-precision bits → number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function decode(dtype: SafetensorsDtype, bytes: Uint8Array, count: number): SafetensorsTensor['values'] {
  // Copy first: the slice of a Node Buffer is rarely aligned for a typed-array view.
  const buf = bytes.slice().buffer;
  const view = new DataView(buf);
  switch (dtype) {
    case 'F32':
      return new Float32Array(buf, 0, count);
    case 'F64':
      return Float32Array.from(new Float64Array(buf, 0, count));
    case 'F16': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      return out;
    }
    case 'BF16': {
      const out = new Float32Array(count);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      return out;
    }
    case 'I64':
      return new BigInt64Array(buf, 0, count);
    case 'I32':
      return new Int32Array(buf, 0, count);
    case 'I16':
      return new Int16Array(buf, 0, count);
    case 'I8':
      return new Int8Array(buf, 0, count);
    default:
      return new Uint8Array(buf, 0, count);
  }
}

/**
 * Parses the bytes of a safetensors file (8-byte little-endian header length, JSON header, raw data).
 * Every inconsistency (truncation, bad JSON, offsets out of range or not matching the shape) throws an
 * error naming `source`.
 */
export function parseSafetensors(bytes: Uint8Array, source = '<buffer>'): SafetensorsContents {
  const fail = (why: string): never => {
    throw new Error(`'parseSafetensors' cannot read ${source}: ${why}.`);
  };
  if (bytes.byteLength < 8)
    fail(`the file is ${bytes.byteLength} bytes, shorter than the 8-byte header length`);
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (headerLength > bytes.byteLength - 8) {
    fail(
      `the header claims ${headerLength} bytes but only ${bytes.byteLength - 8} follow (truncated or not safetensors)`,
    );
  }
  let header: Record<string, unknown> = {};
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    fail(`the header is not valid JSON (${(error as Error).message})`);
  }
  const data = bytes.subarray(8 + headerLength);
  const tensors: Record<string, SafetensorsTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const {
      dtype,
      shape,
      data_offsets: offsets,
    } = entry as {
      dtype: SafetensorsDtype;
      shape: number[];
      data_offsets: [number, number];
    };
    const width = BYTES[dtype];
    if (width === undefined) fail(`tensor '${name}' has unsupported dtype '${dtype}'`);
    const count = shape.reduce((p, d) => p * d, 1);
    const [begin, end] = offsets;
    if (end > data.byteLength) {
      fail(`tensor '${name}' ends at byte ${end} of a ${data.byteLength}-byte data section (truncated)`);
    }
    if (end - begin !== count * width) {
      fail(
        `tensor '${name}' has ${end - begin} bytes but shape [${shape.join(', ')}] of ${dtype} needs ${count * width}`,
      );
    }
    tensors[name] = { dtype, shape: [...shape], values: decode(dtype, data.subarray(begin, end), count) };
  }
  return { tensors, metadata };
}

/** Reads and parses a `.safetensors` file; errors name the file. */
export async function readSafetensors(path: string): Promise<SafetensorsContents> {
  return parseSafetensors(await readBytes(path, 'readSafetensors'), path);
}

/** A float32 tensor to write. */
export interface Float32Entry {
  /** Shape, row-major. */
  shape: number[];
  /** Values, `prod(shape)` of them. */
  values: Float32Array;
}

/** Encodes float32 tensors as safetensors bytes (names sorted, 8-byte aligned header, as the Python library). */
export function encodeSafetensors(
  tensors: Record<string, Float32Entry>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    const count = t.shape.reduce((p, d) => p * d, 1);
    if (count !== t.values.length) {
      throw new Error(
        `Argument 'tensors' passed to 'encodeSafetensors': '${name}' has ${t.values.length} values for shape [${t.shape.join(', ')}].`,
      );
    }
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * count] };
    offset += 4 * count;
  }
  const raw = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces so the data section starts 8-byte aligned, as the Python writer does.
  const headerBytes = new Uint8Array(raw.length + ((8 - (raw.length % 8)) % 8)).fill(0x20);
  headerBytes.set(raw);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const v = tensors[name]!.values;
    out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), at);
    at += v.byteLength;
  }
  return out;
}

/** Writes float32 tensors to a `.safetensors` file atomically (temporary file, then rename). */
export async function writeSafetensors(
  path: string,
  tensors: Record<string, Float32Entry>,
  metadata: Record<string, string> = {},
): Promise<void> {
  await atomicWrite(path, encodeSafetensors(tensors, metadata));
}
