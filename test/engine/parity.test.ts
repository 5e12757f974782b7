// Native kernels against the portable (TypeScript) reference on random shapes: odd sizes, 1-row batches, every
// transpose combination, offsets and padded strides, and every GEMM micro-kernel this CPU can run.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { CsrMatrix, PortableKernels, Rng, type Kernels } from '../../src/engine/index.js';
import { maxRelDiff } from '../helpers/gradcheck.js';
import { native, skipNative } from '../helpers/providers.js';

const portable = new PortableKernels({ gemm: 'js' }); // the simplest reference
const randArray = (n: number, seed: number, lo = -1, hi = 1): Float32Array =>
  Rng.seeded(seed).fillUniform(new Float32Array(n), lo, hi);

interface GemmCase {
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  pad: number; // extra columns in every stored row (ld = cols + pad)
  off: number; // leading offset of every matrix
}

const GEMM_CASES: GemmCase[] = [
  { m: 1, n: 1, k: 1, alpha: 1, beta: 0, pad: 0, off: 0 },
  { m: 1, n: 37, k: 5, alpha: 1, beta: 0, pad: 0, off: 0 },
  { m: 13, n: 17, k: 300, alpha: 0.5, beta: 1, pad: 3, off: 7 },
  { m: 257, n: 3, k: 513, alpha: 1, beta: -0.5, pad: 0, off: 0 },
  { m: 6, n: 16, k: 256, alpha: 1, beta: 0, pad: 0, off: 0 },
  { m: 61, n: 129, k: 77, alpha: -1, beta: 1, pad: 1, off: 2 },
  { m: 500, n: 33, k: 600, alpha: 1, beta: 0, pad: 0, off: 0 },
  { m: 150, n: 4100, k: 20, alpha: 2, beta: 0.25, pad: 5, off: 0 },
];

/** Runs one GEMM on a provider; returns the whole C buffer (padding included, which must be left untouched). */
function runGemm(k: Kernels, ta: boolean, tb: boolean, c: GemmCase, seed: number): Float32Array {
  const aRows = ta ? c.k : c.m;
  const aCols = ta ? c.m : c.k;
  const bRows = tb ? c.n : c.k;
  const bCols = tb ? c.k : c.n;
  const lda = aCols + c.pad;
  const ldb = bCols + c.pad;
  const ldc = c.n + c.pad;
  const a = randArray(c.off + aRows * lda, seed);
  const b = randArray(c.off + bRows * ldb, seed + 1);
  const out = randArray(c.off + c.m * ldc, seed + 2);
  if (c.beta === 0) out.fill(Number.NaN); // beta = 0 must never read C
  if (c.beta === 0) for (let i = 0; i < c.off; i++) out[i] = 0;
  for (let r = 0; r < c.m && c.beta === 0; r++) out.fill(3, c.off + r * ldc + c.n, c.off + (r + 1) * ldc);
  k.gemm(ta, tb, c.m, c.n, c.k, c.alpha, a, c.off, lda, b, c.off, ldb, c.beta, out, c.off, ldc);
  return out;
}

describe('portable GEMMs: WebAssembly SIMD vs plain JS', () => {
  const wasm = new PortableKernels();
  const js = new PortableKernels({ gemm: 'js' });
  test('wasm-simd is used where the runtime supports it (Node >= 16.4)', () =>
    assert.equal(wasm.gemmKind, 'wasm-simd'));
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      test(`transA ${ta}, transB ${tb}`, () => {
        GEMM_CASES.forEach((c, i) => {
          const want = runGemm(js, ta, tb, c, 10 * i);
          const got = runGemm(wasm, ta, tb, c, 10 * i);
          const tol = 1e-6 * Math.max(1, c.k) + 1e-6;
          assert.ok(maxRelDiff(got, want) <= tol, `case ${JSON.stringify(c)}: diff ${maxRelDiff(got, want)}`);
        });
      });
    }
  }
  test('a GEMM taller than one C panel (many column panels and wide K)', () => {
    const c = { m: 1030, n: 4500, k: 700, alpha: 1, beta: 0.5, pad: 2, off: 1 };
    assert.ok(maxRelDiff(runGemm(wasm, false, true, c, 3), runGemm(js, false, true, c, 3)) < 1e-3);
  });
});

describe('native vs portable kernels', { skip: skipNative }, () => {
  // avx512-emulated runs the AVX-512 kernel's source on any x86-64, so it is tested where AVX-512 is missing
  const families = ['avx512', 'avx512-emulated', 'avx2', 'generic'];
  after(() => {
    // restore the best kernel for this CPU
    for (const f of ['avx512', 'avx2', 'generic']) if (native(1).addon.forceGemmKernel(f)) break;
  });

  for (const family of families) {
    describe(`gemm micro-kernel ${family}`, () => {
      for (const threads of [1, 2]) {
        for (const ta of [false, true]) {
          for (const tb of [false, true]) {
            test(`threads ${threads}, transA ${ta}, transB ${tb}`, (t) => {
              const nk = native(threads);
              if (!nk.addon.forceGemmKernel(family)) {
                t.skip(`${family} is not supported on this CPU`);
                return;
              }
              GEMM_CASES.forEach((c, i) => {
                const want = runGemm(portable, ta, tb, c, 10 * i);
                const got = runGemm(nk, ta, tb, c, 10 * i);
                const tol = 1e-6 * Math.max(1, c.k) + 1e-6;
                assert.ok(maxRelDiff(got, want) <= tol, `case ${JSON.stringify(c)}: diff ${maxRelDiff(got, want)}`);
              });
            });
          }
        }
      }
    });
  }

  test('gemm results do not depend on the thread count (bitwise)', () => {
    const c = { m: 203, n: 517, k: 301, alpha: 1, beta: 0.5, pad: 1, off: 3 };
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        assert.deepEqual(runGemm(native(1), ta, tb, c, 5), runGemm(native(2), ta, tb, c, 5));
      }
    }
  });

  const csr = randomCsr(37, 53, 0.15, 1);
  const empty = CsrMatrix.fromTriplets(3, 4, [], []);
  for (const [label, s] of [
    ['random', csr],
    ['with empty rows', empty],
  ] as const) {
    test(`spmm, spmmT and sddmm (${label})`, () => {
      for (const n of [1, 7, 64]) {
        for (const threads of [1, 2]) {
          const nk = native(threads);
          const b = randArray(s.cols * n, 3);
          const beta = 0.5;
          const c0 = randArray(s.rows * n, 4);
          const [cp, cn] = [c0.slice(), c0.slice()];
          portable.spmm(s.rows, s.cols, n, s.indptr, s.indices, s.values, b, beta, cp);
          nk.spmm(s.rows, s.cols, n, s.indptr, s.indices, s.values, b, beta, cn);
          assert.ok(maxRelDiff(cn, cp) < 1e-5, 'spmm');

          const g = randArray(s.rows * n, 5);
          const d0 = randArray(s.cols * n, 6);
          const [dp, dn] = [d0.slice(), d0.slice()];
          portable.spmmT(s.rows, s.cols, n, s.indptr, s.indices, s.values, g, dp);
          nk.spmmT(s.rows, s.cols, n, s.indptr, s.indices, s.values, g, dn);
          assert.ok(maxRelDiff(dn, dp) < 1e-5, 'spmmT');

          const [vp, vn] = [new Float32Array(s.nnz), new Float32Array(s.nnz)];
          portable.sddmm(s.rows, s.cols, n, s.indptr, s.indices, g, b, vp);
          nk.sddmm(s.rows, s.cols, n, s.indptr, s.indices, g, b, vn);
          assert.ok(maxRelDiff(vn, vp) < 1e-5, 'sddmm');
        }
      }
    });
  }

  test('spmmT is exact against a dense reference and skips stored zeros', () => {
    const s = CsrMatrix.fromTriplets(3, 4, [0, 0, 1, 2, 2], [1, 3, 1, 0, 1], [2, 0, -1, 0.5, 4]);
    const g = Float32Array.of(1, 2, 3, 4, 5, 6); // [3 x 2]
    const out = new Float32Array(8);
    native(2).spmmT(3, 4, 2, s.indptr, s.indices, s.values, g, out);
    // column 1 gets 2*[1,2] - 1*[3,4] + 4*[5,6]; column 0 gets 0.5*[5,6]; column 3 a stored zero
    assert.deepEqual(Array.from(out), [2.5, 3, 19, 24, 0, 0, 0, 0]);
  });

  test('exp, tanh, sigmoid, log match libm-accurate values', () => {
    const x = randArray(10007, 8, -30, 30);
    x.set([0, -0, 1e-8, -1e-8, 88.5, -88.5, 100, -100, Number.NaN, Infinity, -Infinity], 0);
    const positive = Float32Array.from(x, (v, i) =>
      i < 11 ? [1, 0, 1e-38, 1e-45, 3e38, 0.70710677, 0.7071068, 1.5, Number.NaN, Infinity, -1][i] : Math.exp(v / 3),
    );
    for (const [fn, input] of [
      ['exp', x],
      ['tanh', x],
      ['sigmoid', x],
      ['log', positive],
    ] as const) {
      const [p, q] = [new Float32Array(x.length), new Float32Array(x.length)];
      portable[fn](input, p);
      native(2)[fn](input, q);
      for (let i = 0; i < input.length; i++) {
        const ok = Number.isNaN(p[i])
          ? Number.isNaN(q[i])
          : q[i] === p[i] || Math.abs(q[i] - p[i]) <= 4e-7 * Math.abs(p[i]) + 1e-38;
        assert.ok(ok, `${fn}(${input[i]}): native ${q[i]} vs portable ${p[i]}`);
      }
    }
  });

  test('softmaxNll and its backward', () => {
    for (const [m, n] of [
      [1, 1],
      [1, 9],
      [37, 53],
      [5, 3706],
    ] as const) {
      const s = randomCsr(m, n, 0.2, m + n);
      const logits = randArray(m * n, 9, -8, 8);
      const out = (k: Kernels) => {
        const probs = new Float32Array(m * n);
        const loss = new Float32Array(m);
        k.softmaxNll(m, n, logits, s.indptr, s.indices, s.values, probs, loss);
        const grad = new Float32Array(m * n);
        k.softmaxNllBackward(m, n, probs, s.indptr, s.indices, s.values, randArray(m, 11), grad);
        return { probs, loss, grad };
      };
      const p = out(portable);
      const q = out(native(2));
      assert.ok(maxRelDiff(q.probs, p.probs) < 1e-6, 'probs');
      assert.ok(maxRelDiff(q.loss, p.loss) < 1e-5, 'loss');
      assert.ok(maxRelDiff(q.grad, p.grad) < 1e-6, 'grad');
    }
  });

  test('softmaxNll in place (probs aliasing logits)', () => {
    const s = randomCsr(4, 10, 0.3, 2);
    const logits = randArray(40, 3, -5, 5);
    const copy = logits.slice();
    const [l1, l2] = [new Float32Array(4), new Float32Array(4)];
    const probs = new Float32Array(40);
    native(1).softmaxNll(4, 10, copy, s.indptr, s.indices, s.values, probs, l1);
    native(1).softmaxNll(4, 10, logits, s.indptr, s.indices, s.values, logits, l2);
    assert.deepEqual(logits, probs);
    assert.deepEqual(l2, l1);
  });

  test('adam (L2 and decoupled decay)', () => {
    for (const decoupled of [false, true]) {
      const step = {
        lr: 1e-2,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        weightDecay: 0.1,
        decoupled,
        bc1: 0.19,
        bc2: 0.002,
      };
      const init = () => [
        randArray(1001, 1),
        randArray(1001, 2),
        randArray(1001, 3, -0.1, 0.1),
        randArray(1001, 4, 0, 0.1),
      ];
      const [p1, g1, m1, v1] = init();
      const [p2, g2, m2, v2] = init();
      portable.adam(p1, g1, m1, v1, step);
      native(2).adam(p2, g2, m2, v2, step);
      assert.ok(maxRelDiff(p2, p1) < 1e-6 && maxRelDiff(m2, m1) < 1e-6 && maxRelDiff(v2, v1) < 1e-6);
    }
  });

  test('lseWeighted and its backward (per-column and full weights, large logits)', () => {
    const [K, m, n] = [3, 7, 37];
    const l = [randArray(m * n, 1, -10, 10), randArray(m * n, 2, 60, 90), randArray(m * n, 3, -10, 10)];
    const w = [randArray(n, 4, 0, 1), randArray(m * n, 5, 0, 1), randArray(n, 6, 0, 1)];
    const run = (k: Kernels) => {
      const out = new Float32Array(m * n);
      k.lseWeighted(K, m, n, l, w, out);
      const gl = [new Float32Array(m * n), null, new Float32Array(m * n)];
      const r = [null, new Float32Array(m * n), new Float32Array(m * n)];
      k.lseWeightedBackward(K, m, n, l, w, out, randArray(m * n, 7), gl, r);
      return [out, gl[0]!, gl[2]!, r[1]!, r[2]!];
    };
    const p = run(portable);
    const q = run(native(2));
    p.forEach((a, i) => assert.ok(maxRelDiff(q[i], a) < 3e-5, `array ${i}: ${maxRelDiff(q[i], a)}`)); // logits near 90: float32 ulp 8e-6
  });

  test('layerNorm and its backward (thread count does not change the parameter gradients)', () => {
    const [m, n] = [53, 97];
    const x = randArray(m * n, 1, -3, 5);
    const gamma = randArray(n, 2, 0.5, 1.5);
    const beta = randArray(n, 3);
    const g = randArray(m * n, 4);
    const run = (k: Kernels) => {
      const [out, xhat, inv] = [new Float32Array(m * n), new Float32Array(m * n), new Float32Array(m)];
      k.layerNorm(m, n, x, gamma, beta, 1e-5, out, xhat, inv);
      const [gx, gg, gb] = [new Float32Array(m * n), new Float32Array(n), new Float32Array(n)];
      k.layerNormBackward(m, n, g, xhat, inv, gamma, gx, gg, gb);
      return [out, xhat, inv, gx, gg, gb];
    };
    const p = run(portable);
    const one = run(native(1));
    const two = run(native(2));
    p.forEach((a, i) => assert.ok(maxRelDiff(two[i], a) < 1e-5, `array ${i}: ${maxRelDiff(two[i], a)}`));
    one.forEach((a, i) => assert.deepEqual(two[i], a, `array ${i} differs between 1 and 2 threads`));
  });

  test('addColSums', () => {
    const x = randArray(77 * 301, 1);
    const [a, b] = [randArray(301, 2), randArray(301, 2)];
    portable.addColSums(77, 301, x, a);
    native(2).addColSums(77, 301, x, b);
    assert.ok(maxRelDiff(b, a) < 1e-5);
  });
});

/** A random CSR matrix with roughly density * rows * cols entries (values in [0.5, 2)). */
function randomCsr(rows: number, cols: number, density: number, seed: number): CsrMatrix {
  const rng = Rng.seeded(seed);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (rng.uniform() < density) {
        r.push(i);
        c.push(j);
        v.push(0.5 + 1.5 * rng.uniform());
      }
    }
  }
  return CsrMatrix.fromTriplets(rows, cols, r, c, v);
}
