/* x86 GEMM micro-kernels, compiled with per-function target attributes so one binary runs everywhere and gemm.c
 * picks the widest one the CPU supports at run time.
 *   avx2-fma 6x16: 12 ymm accumulators, 2 B vectors, 1 broadcast (the classic Haswell/Zen shape).
 *   avx512f 12x32: 24 zmm accumulators, 2 B vectors, 1 broadcast (see its own comment on how it is tested). */
#include "gemm_ukernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define AVX2_TARGET __attribute__((target("avx2,fma")))
#define AVX512_TARGET __attribute__((target("avx512f,avx2,fma")))

/* ---------------------------------------------------------------- AVX2 + FMA, 6 x 16 */

#define A2_ROW(i)                                   \
  do {                                              \
    __m256 ai = _mm256_broadcast_ss(a + (i));       \
    c##i##0 = _mm256_fmadd_ps(ai, b0, c##i##0);     \
    c##i##1 = _mm256_fmadd_ps(ai, b1, c##i##1);     \
  } while (0)

#define A2_STEP(off)                                \
  do {                                              \
    __m256 b0 = _mm256_load_ps(b + (off) * 16);     \
    __m256 b1 = _mm256_load_ps(b + (off) * 16 + 8); \
    const float *a_ = a;                            \
    a += (off) * 6;                                 \
    A2_ROW(0);                                      \
    A2_ROW(1);                                      \
    A2_ROW(2);                                      \
    A2_ROW(3);                                      \
    A2_ROW(4);                                      \
    A2_ROW(5);                                      \
    a = a_;                                         \
  } while (0)

AVX2_TARGET static inline void a2_store(float *c, __m256 acc, __m256 va, __m256 vb, float beta) {
  __m256 r = _mm256_mul_ps(acc, va);
  if (beta != 0.0f) r = _mm256_fmadd_ps(vb, _mm256_loadu_ps(c), r);
  _mm256_storeu_ps(c, r);
}

AVX2_TARGET static void ukr_avx2_6x16(long k, const float *a, const float *b, float *c, long ldc, float alpha,
                                      float beta) {
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (int i = 0; i < 6; i++) _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
  long p = 0;
  for (; p + 4 <= k; p += 4) {
    _mm_prefetch((const char *)(b + 16 * 16), _MM_HINT_T0);
    _mm_prefetch((const char *)(b + 16 * 16 + 32), _MM_HINT_T0);
    A2_STEP(0);
    A2_STEP(1);
    A2_STEP(2);
    A2_STEP(3);
    a += 24;
    b += 64;
  }
  for (; p < k; p++) {
    A2_STEP(0);
    a += 6;
    b += 16;
  }
  __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
  a2_store(c + 0 * ldc, c00, va, vb, beta);
  a2_store(c + 0 * ldc + 8, c01, va, vb, beta);
  a2_store(c + 1 * ldc, c10, va, vb, beta);
  a2_store(c + 1 * ldc + 8, c11, va, vb, beta);
  a2_store(c + 2 * ldc, c20, va, vb, beta);
  a2_store(c + 2 * ldc + 8, c21, va, vb, beta);
  a2_store(c + 3 * ldc, c30, va, vb, beta);
  a2_store(c + 3 * ldc + 8, c31, va, vb, beta);
  a2_store(c + 4 * ldc, c40, va, vb, beta);
  a2_store(c + 4 * ldc + 8, c41, va, vb, beta);
  a2_store(c + 5 * ldc, c50, va, vb, beta);
  a2_store(c + 5 * ldc + 8, c51, va, vb, beta);
}

const ut_ukernel_t ut_ukr_avx2 = {6, 16, ukr_avx2_6x16, "avx2-fma 6x16"};

/* ---------------------------------------------------------------- 12 x 32, written once with vector extensions
 * The body is compiled twice: with target("avx512f") it is the AVX-512 kernel (24 zmm accumulators); without a
 * target attribute GCC lowers the 512-bit vectors to SSE/AVX2, giving an "avx512-emulated" kernel that runs on any
 * x86-64. The test suite forces the emulated one, so this exact source is checked even on CPUs without AVX-512. */

typedef float v16f __attribute__((vector_size(64)));
typedef float v16f_u __attribute__((vector_size(64), aligned(4))); /* for unaligned C rows */

static inline __attribute__((always_inline)) void ukr_12x32_body(long k, const float *a, const float *b, float *c,
                                                                 long ldc, float alpha, float beta) {
  v16f acc[12][2];
  for (int i = 0; i < 12; i++) acc[i][0] = acc[i][1] = (v16f){0};
  for (long p = 0; p < k; p++) {
    const v16f b0 = *(const v16f *)b; /* packed panels are 64-byte aligned */
    const v16f b1 = *(const v16f *)(b + 16);
#pragma GCC unroll 12
    for (int i = 0; i < 12; i++) {
      const v16f ai = (v16f){0} + a[i];
      acc[i][0] += ai * b0;
      acc[i][1] += ai * b1;
    }
    a += 12;
    b += 32;
  }
#pragma GCC unroll 12
  for (int i = 0; i < 12; i++) {
    for (int h = 0; h < 2; h++) {
      v16f_u *ci = (v16f_u *)(c + i * ldc + 16 * h);
      v16f r = acc[i][h] * alpha;
      if (beta != 0.0f) r += *ci * beta;
      *ci = r;
    }
  }
}

AVX512_TARGET static void ukr_avx512_12x32(long k, const float *a, const float *b, float *c, long ldc, float alpha,
                                           float beta) {
  ukr_12x32_body(k, a, b, c, ldc, alpha, beta);
}

static void ukr_emulated_12x32(long k, const float *a, const float *b, float *c, long ldc, float alpha, float beta) {
  ukr_12x32_body(k, a, b, c, ldc, alpha, beta);
}

const ut_ukernel_t ut_ukr_avx512 = {12, 32, ukr_avx512_12x32, "avx512f 12x32"};
const ut_ukernel_t ut_ukr_avx512_emulated = {12, 32, ukr_emulated_12x32, "avx512-emulated 12x32 (tests only)"};

#endif
