import { createHash } from 'node:crypto';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

/** A part of a stream's key: e.g. ['init', 'encoder.0'] or ['dropout', epoch, batch]. */
export type SeedKey = string | number;

interface Generator {
  next(): number;
}

const TWO_POW_M24 = 2 ** -24;

/**
 * Seeded random numbers with keyed derivation (as lkpy's derive_seed). A stream is identified by its root seed and
 * a key path; `derive(...keys)` hashes the path, so streams never depend on how many numbers others drew and adding
 * a random step never shifts the rest. The generator underneath is pure-rand's xoroshiro128+.
 */
export class Rng {
  /** The key path that identifies this stream, e.g. "42/split/0". */
  readonly path: string;
  private readonly gen: Generator;
  private spare: number | null = null;

  private constructor(path: string) {
    this.path = path;
    const digest = createHash('sha256').update(path).digest();
    const state = [digest.readInt32LE(0), digest.readInt32LE(4), digest.readInt32LE(8), digest.readInt32LE(12)];
    if (!state.some((s) => s !== 0)) state[0] = 1; // the all-zero state is xoroshiro's only fixed point
    this.gen = xoroshiro128plusFromState(state);
  }

  /** The root stream of a seed (an integer). */
  static seeded(seed: number): Rng {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`rng: seed must be a safe integer, got ${seed}`);
    return new Rng(String(seed));
  }

  /**
   * An independent stream keyed by this stream's path plus `keys`; does not consume numbers from this one. Keys may
   * not contain '/' (the path separator), so distinct key lists always give distinct paths.
   */
  derive(...keys: SeedKey[]): Rng {
    const parts = keys.map((k) => String(k));
    const bad = parts.find((k) => k.includes('/') || k === '');
    if (bad !== undefined) throw new RangeError(`rng.derive: key "${bad}" must be non-empty and contain no '/'`);
    return new Rng(`${this.path}/${parts.join('/')}`);
  }

  /** Uniform in [0, 1), a multiple of 2^-24 (exact in float32). */
  uniform(): number {
    return (this.gen.next() >>> 8) * TWO_POW_M24;
  }

  /** Uniform in (0, 1): never exactly 0 or 1, safe under log. */
  uniformOpen(): number {
    return ((this.gen.next() >>> 8) + 0.5) * TWO_POW_M24;
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling); n <= 2^32. */
  int(n: number): number {
    if (!(n >= 1 && n <= 2 ** 32 && Number.isInteger(n))) throw new RangeError(`rng.int: bad range ${n}`);
    const limit = Math.floor(2 ** 32 / n) * n;
    let x = this.gen.next() >>> 0;
    while (x >= limit) x = this.gen.next() >>> 0;
    return x % n;
  }

  /** Standard normal (Marsaglia's polar method; values come in pairs and are used in turn). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u: number;
    let v: number;
    let q: number;
    do {
      u = 2 * this.uniformOpen() - 1;
      v = 2 * this.uniformOpen() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    this.spare = v * f;
    return u * f;
  }

  /** Standard Gumbel: -log(-log(u)). */
  gumbel(): number {
    return -Math.log(-Math.log(this.uniformOpen()));
  }

  /** Fills `out` with uniform values in [lo, hi). */
  fillUniform(out: Float32Array, lo = 0, hi = 1): Float32Array {
    const w = hi - lo;
    for (let i = 0; i < out.length; i++) out[i] = lo + w * this.uniform();
    return out;
  }

  /** Fills `out` with normal values of the given mean and standard deviation (polar method, inlined for speed). */
  fillNormal(out: Float32Array, mean = 0, std = 1): Float32Array {
    let i = 0;
    if (this.spare !== null && out.length > 0) out[i++] = mean + std * this.normal();
    const gen = this.gen;
    while (i < out.length) {
      const u = 2 * (((gen.next() >>> 8) + 0.5) * TWO_POW_M24) - 1;
      const v = 2 * (((gen.next() >>> 8) + 0.5) * TWO_POW_M24) - 1;
      const q = u * u + v * v;
      if (q >= 1 || q === 0) continue;
      const f = Math.sqrt((-2 * Math.log(q)) / q);
      out[i++] = mean + std * u * f;
      if (i < out.length) out[i++] = mean + std * v * f;
      else this.spare = v * f;
    }
    return out;
  }

  /** Fills `out` with standard Gumbel values. */
  fillGumbel(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.gumbel();
    return out;
  }

  /** Shuffles `arr` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: number }>(arr: T): T {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }

  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** k distinct integers drawn uniformly from [0, n), in the order drawn (Floyd's algorithm for small k). */
  sampleWithoutReplacement(n: number, k: number): Int32Array {
    if (!(k >= 0 && k <= n && Number.isInteger(k))) throw new RangeError(`rng.sample: cannot draw ${k} of ${n}`);
    if (k > n / 4) return this.permutation(n).slice(0, k);
    const chosen = new Set<number>();
    const out = new Int32Array(k);
    let q = 0;
    for (let j = n - k; j < n; j++) {
      const t = this.int(j + 1);
      const pick = chosen.has(t) ? j : t;
      chosen.add(pick);
      out[q++] = pick;
    }
    // Floyd's order is biased towards large values at the end; shuffle so the order is uniform too.
    return this.shuffle(out);
  }
}
