/** What a {@link BufferPool} has done since it was made or last {@link BufferPool.resetStats | reset}. */
export interface BufferPoolStats {
  /** Buffers handed out from the pool (no allocation). */
  hits: number;
  /** Buffers that had to be allocated because none of that length was free. */
  misses: number;
  /** Bytes held by free buffers now. */
  freeBytes: number;
  /** The most free bytes the pool may hold. */
  capacityBytes: number;
}

/**
 * Recycles the `Float32Array`s of disposed tensors as the outputs of later kernels.
 *
 * Why: every kernel output on a cpu-style backend is a new typed array. A fresh 12.8 MB array costs ~5 ms
 * of page faults and zero-filling on this project's machine before a kernel writes it (a ReLU over it
 * takes 0.8 ms), and V8 must later collect it. A training step allocates the same sizes every step, so
 * handing a disposed tensor's array to the next kernel asking for that length removes both costs.
 *
 * Safety: a buffer is recycled only when it was made here, was adopted by exactly one tensor as its whole
 * storage, and nobody else was ever given it: a read (`dataSync`, `data`, the cpu kernels' `bufferSync`)
 * or a second tensor over the same memory (a view made by a cpu kernel's `subarray`) marks it shared, and a
 * shared buffer is left to the garbage collector. Code that reaches into the backend's storage directly
 * (`backend.data.get(id).values`) and keeps the array past the tensor's disposal is not covered.
 */
export class BufferPool {
  /** Free buffers by length, the most recently freed last. */
  private readonly free = new Map<number, Float32Array[]>();
  /** Every free buffer, the least recently freed first: what goes when room is needed. */
  private readonly age = new Set<Float32Array>();
  /** Made by this pool: the only buffers it ever takes back. */
  private readonly made = new WeakSet<ArrayBuffer>();
  /** The whole storage of one live tensor, seen by nobody else. */
  private readonly adopted = new WeakSet<ArrayBuffer>();
  /** Seen outside the tensor that owns it: never recycled. */
  private readonly shared = new WeakSet<ArrayBuffer>();
  private freeBytes = 0;
  private hits = 0;
  private misses = 0;
  /**
   * For tests: fill every recycled array with NaN before handing it out, so that a kernel that does not
   * write all of its output shows it.
   */
  poisonRecycled = false;

  /** @param capacityBytes the most bytes of free buffers kept for reuse; 0 turns recycling off. */
  constructor(readonly capacityBytes: number) {
    if (!Number.isFinite(capacityBytes) || capacityBytes < 0) {
      throw new Error(`BufferPool: capacity must be a non-negative number of bytes, got ${capacityBytes}`);
    }
  }

  /** A Float32Array of `length` whose contents are arbitrary: for kernels that write every element. */
  take(length: number): Float32Array {
    const reused = this.free.get(length)?.pop();
    if (reused) {
      this.age.delete(reused);
      this.freeBytes -= reused.byteLength;
      this.hits++;
      if (this.poisonRecycled) reused.fill(Number.NaN);
      return reused;
    }
    this.misses++;
    const fresh = new Float32Array(length);
    this.made.add(fresh.buffer as ArrayBuffer);
    return fresh;
  }

  /** A zero-filled Float32Array of `length`: for kernels that add into their output. */
  takeZeroed(length: number): Float32Array {
    const hitsBefore = this.hits;
    const out = this.take(length);
    // A fresh array is already zero; only a recycled one needs filling.
    if (this.hits !== hitsBefore) out.fill(0);
    return out;
  }

  /** Called when a tensor's storage is registered with the backend. */
  adopt(values: unknown): void {
    const buffer = this.ownBuffer(values);
    if (!buffer) return;
    const whole =
      (values as Float32Array).byteOffset === 0 && (values as Float32Array).byteLength === buffer.byteLength;
    if (!whole || this.adopted.has(buffer)) this.shared.add(buffer);
    else this.adopted.add(buffer);
  }

  /** Called when a tensor's storage is handed out of the backend (a read): it is never recycled. */
  escape(values: unknown): void {
    const buffer = this.ownBuffer(values);
    if (buffer) this.shared.add(buffer);
  }

  /**
   * Called when a tensor's storage is freed: keeps it for reuse when that is safe, dropping the least
   * recently freed buffers to make room (sizes that stopped recurring, such as a last smaller batch's).
   */
  release(values: unknown): void {
    const buffer = this.ownBuffer(values);
    if (!buffer || this.shared.has(buffer) || !this.adopted.has(buffer)) return;
    this.adopted.delete(buffer);
    const array = values as Float32Array;
    if (array.length === 0 || array.byteLength > this.capacityBytes) return;
    for (const oldest of this.age) {
      if (this.freeBytes + array.byteLength <= this.capacityBytes) break;
      this.drop(oldest);
    }
    const list = this.free.get(array.length);
    if (list) list.push(array);
    else this.free.set(array.length, [array]);
    this.age.add(array);
    this.freeBytes += array.byteLength;
  }

  /** Drops every free buffer (the garbage collector takes them). */
  clear(): void {
    this.free.clear();
    this.age.clear();
    this.freeBytes = 0;
  }

  /** Counts since construction or {@link resetStats}. */
  stats(): BufferPoolStats {
    return {
      hits: this.hits,
      misses: this.misses,
      freeBytes: this.freeBytes,
      capacityBytes: this.capacityBytes,
    };
  }

  /** Zeroes the hit and miss counts. */
  resetStats(): void {
    this.hits = 0;
    this.misses = 0;
  }

  private drop(array: Float32Array): void {
    const list = this.free.get(array.length)!;
    list.splice(list.indexOf(array), 1);
    if (list.length === 0) this.free.delete(array.length);
    this.age.delete(array);
    this.freeBytes -= array.byteLength;
  }

  private ownBuffer(values: unknown): ArrayBuffer | null {
    if (!(values instanceof Float32Array)) return null;
    const buffer = values.buffer as ArrayBuffer;
    return this.made.has(buffer) ? buffer : null;
  }
}
