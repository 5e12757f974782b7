/* x86 GEMM micro-kernels, compiled with per-function target attributes so one binary runs everywhere and gemm.c
 * picks the widest one the CPU supports at run time.
 *   avx2-fma 6x16: 12 ymm accumulators, 2 B vectors, 1 broadcast (the classic Haswell/Zen shape).
 *   avx512f 12x32: 24 zmm accumulators, 2 B vectors, 1 broadcast. */
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

/* ---------------------------------------------------------------- AVX-512F, 12 x 32 */

AVX512_TARGET static inline void a5_store(float *c, __m512 acc, __m512 va, __m512 vb, float beta) {
  __m512 r = _mm512_mul_ps(acc, va);
  if (beta != 0.0f) r = _mm512_fmadd_ps(vb, _mm512_loadu_ps(c), r);
  _mm512_storeu_ps(c, r);
}

AVX512_TARGET static void ukr_avx512_12x32(long k, const float *a, const float *b, float *c, long ldc, float alpha,
                                           float beta) {
  __m512 acc[12][2];
  for (int i = 0; i < 12; i++) {
    acc[i][0] = _mm512_setzero_ps();
    acc[i][1] = _mm512_setzero_ps();
  }
  for (int i = 0; i < 12; i++) _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
  for (long p = 0; p < k; p++) {
    __m512 b0 = _mm512_load_ps(b);
    __m512 b1 = _mm512_load_ps(b + 16);
    _mm_prefetch((const char *)(b + 32 * 8), _MM_HINT_T0);
#pragma GCC unroll 12
    for (int i = 0; i < 12; i++) {
      __m512 ai = _mm512_set1_ps(a[i]);
      acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
    }
    a += 12;
    b += 32;
  }
  __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
#pragma GCC unroll 12
  for (int i = 0; i < 12; i++) {
    a5_store(c + i * ldc, acc[i][0], va, vb, beta);
    a5_store(c + i * ldc + 16, acc[i][1], va, vb, beta);
  }
}

const ut_ukernel_t ut_ukr_avx512 = {12, 32, ukr_avx512_12x32, "avx512f 12x32"};

#endif
