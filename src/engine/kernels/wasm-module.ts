/**
 * A WebAssembly SIMD GEMM micro-kernel, emitted as bytecode by this file (no compiler, no binary artefact), so the
 * portable provider stays installable everywhere while running ~10x faster than scalar JS. Hand-written because no
 * npm package offers an f32x4 GEMM kernel that packs and tiles like this; the module is ~300 bytes.
 *
 * Function 0 `tile(a, b, c, k, ldcBytes, accumulate)`: multiplies a packed MR x k panel of A (k-major, a[p*MR + i])
 * by a packed k x NR panel of B (b[p*NR + j]) and stores the MR x NR result into C (row stride ldcBytes), adding to
 * what C holds when `accumulate` is non-zero. Exported function 1 `block(a, b, c, mTiles, nTiles, k, ldcBytes,
 * accumulate)` runs `tile` over mTiles x nTiles consecutive strips (one JS call per block: JS -> wasm calls are
 * ~100x dearer than wasm -> wasm ones). All pointers are byte offsets into the imported memory.
 */
export const WASM_MR = 4;
export const WASM_NR = 8;

const I32 = 0x7f;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
const name = (s: string): number[] => vec([...Buffer.from(s, 'utf8')].map((x) => [x]));

// opcodes
const localGet = (i: number) => [0x20, ...uleb(i)];
const localSet = (i: number) => [0x21, ...uleb(i)];
const localTee = (i: number) => [0x22, ...uleb(i)];
const i32Const = (v: number) => [0x41, ...sleb(v)];
const simd = (op: number) => [0xfd, ...uleb(op)];
const V128_LOAD = 0x00;
const V128_LOAD32_SPLAT = 0x09;
const V128_STORE = 0x0b;
const F32X4_ADD = 0xe4;
const F32X4_MUL = 0xe6;
const memarg = (offset: number) => [2, ...uleb(offset)]; // align 2^2 = 4 bytes (packed panels are 4-byte aligned)
const [I32_ADD, I32_SUB, I32_MUL, I32_EQZ] = [0x6a, 0x6b, 0x6c, 0x45];
const [BLOCK, LOOP, IF, END, BR_IF, VOID] = [0x02, 0x03, 0x04, 0x0b, 0x0d, 0x40];

function tileBody(mr: number, nr: number): number[] {
  const nv = nr / 4;
  const [A, B, C, K, LDC, ACC] = [0, 1, 2, 3, 4, 5];
  let next = 6;
  const acc = Array.from({ length: mr * nv }, () => next++);
  const bv = Array.from({ length: nv }, () => next++);
  const av = next++;
  const p = next++;
  const code: number[] = [];
  code.push(...localGet(K), ...localSet(p));
  code.push(BLOCK, VOID, ...localGet(p), I32_EQZ, BR_IF, 0, LOOP, VOID);
  for (let j = 0; j < nv; j++) code.push(...localGet(B), ...simd(V128_LOAD), ...memarg(j * 16), ...localSet(bv[j]));
  for (let i = 0; i < mr; i++) {
    code.push(...localGet(A), ...simd(V128_LOAD32_SPLAT), ...memarg(i * 4), ...localSet(av));
    for (let j = 0; j < nv; j++) {
      const a = acc[i * nv + j];
      code.push(
        ...localGet(a),
        ...localGet(av),
        ...localGet(bv[j]),
        ...simd(F32X4_MUL),
        ...simd(F32X4_ADD),
        ...localSet(a),
      );
    }
  }
  code.push(...localGet(A), ...i32Const(mr * 4), I32_ADD, ...localSet(A));
  code.push(...localGet(B), ...i32Const(nr * 4), I32_ADD, ...localSet(B));
  code.push(...localGet(p), ...i32Const(1), I32_SUB, ...localTee(p), BR_IF, 0, END, END);
  // epilogue: C[i, j..j+3] = acc (+ C when accumulating)
  const rowPtr = (i: number) => [...localGet(C), ...localGet(LDC), ...i32Const(i), I32_MUL, I32_ADD];
  const store = (withC: boolean) => {
    const out: number[] = [];
    for (let i = 0; i < mr; i++) {
      for (let j = 0; j < nv; j++) {
        out.push(...rowPtr(i), ...localGet(acc[i * nv + j]));
        if (withC) out.push(...rowPtr(i), ...simd(V128_LOAD), ...memarg(j * 16), ...simd(F32X4_ADD));
        out.push(...simd(V128_STORE), ...memarg(j * 16));
      }
    }
    return out;
  };
  code.push(...localGet(ACC), IF, VOID, ...store(true), 0x05 /* else */, ...store(false), END, END);
  const locals = vec([
    [...uleb(mr * nv + nv + 1), V128],
    [1, I32],
  ]);
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/** block(a, b, c, mTiles, nTiles, k, ldcBytes, accumulate): tile() over a grid of packed strips. */
function blockBody(mr: number, nr: number): number[] {
  const [A, B, C, MT, NT, K, LDC, ACC] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [IT, JT, BP, CP] = [8, 9, 10, 11];
  const I32_LT_U = 0x49;
  const CALL = 0x10;
  const code: number[] = [];
  // for (it = 0; it < mTiles; it++) { bp = b; cp = c + it*MR*ldc; for (jt = 0; jt < nTiles; jt++) {...} a += MR*k*4 }
  code.push(...i32Const(0), ...localSet(IT));
  code.push(BLOCK, VOID, LOOP, VOID, ...localGet(IT), ...localGet(MT), I32_LT_U, I32_EQZ, BR_IF, 1);
  code.push(...localGet(B), ...localSet(BP));
  code.push(
    ...localGet(C),
    ...localGet(IT),
    ...i32Const(mr),
    I32_MUL,
    ...localGet(LDC),
    I32_MUL,
    I32_ADD,
    ...localSet(CP),
  );
  code.push(...i32Const(0), ...localSet(JT));
  code.push(BLOCK, VOID, LOOP, VOID, ...localGet(JT), ...localGet(NT), I32_LT_U, I32_EQZ, BR_IF, 1);
  code.push(
    ...localGet(A),
    ...localGet(BP),
    ...localGet(CP),
    ...localGet(K),
    ...localGet(LDC),
    ...localGet(ACC),
    CALL,
    0,
  );
  code.push(...localGet(BP), ...localGet(K), ...i32Const(nr * 4), I32_MUL, I32_ADD, ...localSet(BP));
  code.push(...localGet(CP), ...i32Const(nr * 4), I32_ADD, ...localSet(CP));
  code.push(...localGet(JT), ...i32Const(1), I32_ADD, ...localSet(JT), 0x0c /* br */, 0, END, END);
  code.push(...localGet(A), ...localGet(K), ...i32Const(mr * 4), I32_MUL, I32_ADD, ...localSet(A));
  code.push(...localGet(IT), ...i32Const(1), I32_ADD, ...localSet(IT), 0x0c, 0, END, END, END);
  const body = [...vec([[4, I32]]), ...code];
  return [...uleb(body.length), ...body];
}

/** The module's bytes (magic, types, imported memory `env.memory`, `tile` and the exported `block`). */
export function gemmModuleBytes(mr = WASM_MR, nr = WASM_NR): Uint8Array {
  const i32s = (n: number) => vec(Array.from({ length: n }, () => [I32]));
  const types = section(
    1,
    vec([
      [0x60, ...i32s(6), 0],
      [0x60, ...i32s(8), 0],
    ]),
  );
  const imports = section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 1]]));
  const funcs = section(3, vec([[0], [1]]));
  const exports = section(7, vec([[...name('block'), 0x00, 1]]));
  const code = section(10, vec([tileBody(mr, nr), blockBody(mr, nr)]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...imports, ...funcs, ...exports, ...code]);
}

/** The instantiated kernel over a growable memory, or null where WebAssembly SIMD is unavailable. */
export interface WasmGemmKernel {
  memory: WebAssembly.Memory;
  block: (
    a: number,
    b: number,
    c: number,
    mTiles: number,
    nTiles: number,
    k: number,
    ldcBytes: number,
    accumulate: number,
  ) => void;
}

export function instantiateGemmKernel(): WasmGemmKernel | null {
  const bytes = gemmModuleBytes();
  if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(bytes)) return null;
  const memory = new WebAssembly.Memory({ initial: 16 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  return { memory, block: instance.exports.block as WasmGemmKernel['block'] };
}
