/**
 * A free list of large Float32Array buffers, reused across training steps. A fresh 40 MB buffer costs ~30 ms of page
 * faults on first touch (glibc hands large blocks back to the OS on free), which at ML-20M shape is a fifth of a
 * step. Buffers below `minFloats` are not pooled: V8's allocator already reuses those cheaply.
 */
export class BufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  private pooledFloats = 0;
  readonly minFloats: number;
  readonly maxFloats: number;

  /** `maxFloats` caps what the pool keeps (default 256M floats = 1 GiB). */
  constructor(options: { minFloats?: number; maxFloats?: number } = {}) {
    this.minFloats = options.minFloats ?? 1 << 16;
    this.maxFloats = options.maxFloats ?? 1 << 28;
  }

  /** A buffer of exactly `size` floats; zero-filled when `zero` (else its contents are arbitrary). */
  take(size: number, zero: boolean): Float32Array {
    const list = size >= this.minFloats ? this.free.get(size) : undefined;
    const buf = list?.pop();
    if (!buf) return new Float32Array(size);
    this.pooledFloats -= size;
    if (zero) buf.fill(0);
    return buf;
  }

  /** Returns a buffer for reuse; the caller must hold no reference to it afterwards. */
  give(buf: Float32Array): void {
    if (buf.length < this.minFloats || this.pooledFloats + buf.length > this.maxFloats) return;
    const list = this.free.get(buf.length);
    if (list) list.push(buf);
    else this.free.set(buf.length, [buf]);
    this.pooledFloats += buf.length;
  }
}
